-- POST /prices: one source per wrk thread, strictly increasing timestamps (the fraction counts
-- up within the second), prices within ±0.05 % of the base so no jump guard trips.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-oracle-key")
local n = 0
function init(args) math.randomseed(thread_id * 104729 + os.time()) end

function request()
  n = n + 1
  local segment = segments[math.random(#segments)]
  local price = segment.price * (1 + (math.random() - 0.5) / 1000)
  local stamp = os.date("!%Y-%m-%dT%H:%M:%S", os.time()) .. string.format(".%09dZ", n % 1000000000)
  return wrk.format(nil, "/v1/segments/" .. segment.id .. "/prices", nil,
    '{"prices":[{"market":"' .. segment.market .. '","price":"' .. fmt(price) .. '","timestamp":"' .. stamp ..
    '","source":"bench-' .. thread_id .. '"}]}')
end
