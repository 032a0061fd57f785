-- POST /v1/transfers: 1 USDC for a random loaded account, alternately majors → stable and
-- stable → majors (the configured bridges of Config/bridges.json), so balances stay put and
-- the hour's window (1,000,000) lasts. Each answer is the transfer completed and durable.
-- Requests are built once in init(), as in positions.lua.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-trading-key")
local requests = {}
local count = 4096
local n = 0

function init(args)
  math.randomseed(thread_id * 7919 + os.time())
  for i = 1, count do
    local account = math.random(0, accounts - 1)
    local from, to = "majors", "stable"
    if i % 2 == 0 then from, to = "stable", "majors" end
    requests[i] = wrk.format(nil, "/v1/transfers", nil,
      '{"account":"a' .. account .. '","from":"' .. from .. '","to":"' .. to .. '","asset":"USDC","amount":"1"}')
  end
end

function request()
  n = n % count + 1
  return requests[n]
end
