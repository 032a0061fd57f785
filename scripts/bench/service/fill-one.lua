-- POST /positions to one segment only (BENCH_SEGMENT, default "alts"): bulkheads.sh's
-- quiet client and its flood use it on different segments. Requests are built once in init()
-- (wrk shares the cores with the server).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-trading-key")
local wanted = os.getenv("BENCH_SEGMENT") or "alts"
local requests = {}
local count = 4096
local n = 0

function init(args)
  math.randomseed(thread_id * 7919 + os.time())
  local segment
  for _, s in ipairs(segments) do if s.id == wanted then segment = s end end
  assert(segment, "unknown BENCH_SEGMENT " .. wanted)
  for i = 1, count do
    local account = math.random(0, accounts - 1)
    local size = segment.size
    if i % 2 == 0 then size = -size end
    requests[i] = wrk.format(nil, "/v1/segments/" .. segment.id .. "/positions", nil,
      '{"account":"a' .. account .. '","market":"' .. segment.market .. '","size":"' .. fmt(size) ..
      '","price":"' .. fmt(segment.price) .. '"}')
  end
end

function request()
  n = n % count + 1
  return requests[n]
end
