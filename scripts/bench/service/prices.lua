-- POST /prices: one source per wrk thread, strictly increasing timestamps (the fraction counts
-- up within the second), prices within ±0.05 % of the base so no jump guard trips. Requests
-- are built once in init() around a fixed-width timestamp slot; request() only fills the slot
-- (wrk shares the 2 cores with the server).
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-oracle-key")
local slot = "SLOT-SLOT-SLOT-SLOT-SLOT-SLOT!"  -- as wide as 2026-11-24T23:24:06.000000001Z
local heads, tails = {}, {}
local count = 4096
local n = 0
local second, prefix = -1, ""

function init(args)
  math.randomseed(thread_id * 104729 + os.time())
  for i = 1, count do
    local segment = segments[math.random(#segments)]
    local price = segment.price * (1 + (math.random() - 0.5) / 1000)
    local raw = wrk.format(nil, "/v1/segments/" .. segment.id .. "/prices", nil,
      '{"prices":[{"market":"' .. segment.market .. '","price":"' .. fmt(price) .. '","timestamp":"' .. slot ..
      '","source":"bench-' .. thread_id .. '"}]}')
    local at = raw:find(slot, 1, true)
    heads[i], tails[i] = raw:sub(1, at - 1), raw:sub(at + #slot)
  end
end

function request()
  n = n + 1
  local now = os.time()
  if now ~= second then second, prefix = now, os.date("!%Y-%m-%dT%H:%M:%S", now) end
  local i = n % count + 1
  return heads[i] .. prefix .. string.format(".%09dZ", n % 1000000000) .. tails[i]
end
