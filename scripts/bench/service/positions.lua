-- POST /positions: a small fill (alternating sign, so positions stay bounded) for a random
-- loaded account in a random segment, at the segment's base price. The requests are built
-- once in init(): wrk shares the 2 cores with the server, so formatting per request would
-- spend the server's CPU on the load generator.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
-- BENCH_KEY overrides the key (bench-service's "floor" case sends an unknown one).
local key = os.getenv("BENCH_KEY")
use_key((key ~= nil and key ~= "") and key or "dev-trading-key")
local requests = {}
local count = 4096
local n = 0

function init(args)
  math.randomseed(thread_id * 7919 + os.time())
  for i = 1, count do
    local segment = segments[math.random(#segments)]
    local account = math.random(0, accounts - 1)
    local size = segment.size
    if i % 2 == 0 then size = -size end
    requests[i] = wrk.format(nil, "/v1/segments/" .. segment.id .. (os.getenv("BENCH_PATH") or "/positions"), nil,
      '{"account":"a' .. account .. '","market":"' .. segment.market .. '","size":"' .. fmt(size) ..
      '","price":"' .. fmt(segment.price) .. '"}')
  end
end

function request()
  n = n % count + 1
  return requests[n]
end
