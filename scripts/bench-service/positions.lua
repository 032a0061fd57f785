-- POST /positions: a small fill (alternating sign, so positions stay bounded) for a random
-- loaded account in a random segment, at the segment's base price.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-trading-key")
local n = 0
function init(args) math.randomseed(thread_id * 7919 + os.time()) end

function request()
  n = n + 1
  local segment = segments[math.random(#segments)]
  local account = math.random(0, accounts - 1)
  local size = segment.size
  if n % 2 == 0 then size = -size end
  return wrk.format(nil, "/v1/segments/" .. segment.id .. "/positions", nil,
    '{"account":"a' .. account .. '","market":"' .. segment.market .. '","size":"' .. fmt(size) ..
    '","price":"' .. fmt(segment.price) .. '"}')
end
