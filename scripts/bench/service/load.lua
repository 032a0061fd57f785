-- Deposits for accounts a0…a(N-1) in every segment (3 × N requests over all threads), then stops.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-trading-key")
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local next_index, done, quota

function init(args)
  next_index = thread_id
  done = 0
  quota = math.ceil(accounts * #segments / threads)
end

function request()
  local i = next_index % (accounts * #segments)
  next_index = next_index + threads
  local segment = segments[(i % #segments) + 1]
  local account = math.floor(i / #segments)
  return wrk.format(nil, "/v1/segments/" .. segment.id .. "/collateral", nil,
    '{"account":"a' .. account .. '","asset":"USDC","amount":"100000"}')
end

function response(status, headers, body)
  done = done + 1
  if done >= quota then wrk.thread:stop() end
end
