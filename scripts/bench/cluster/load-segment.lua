-- cluster-failover.sh: accounts a0…a(N-1) of one segment (BENCH_SEGMENT), each request once
-- over all threads, then wrk stops. BENCH_PHASE=deposit: 100000 USDC each; fill: one small
-- position each (long for even accounts, short for odd), at the segment's base price.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")
use_key("dev-trading-key")
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local phase = os.getenv("BENCH_PHASE") or "deposit"
local wanted = os.getenv("BENCH_SEGMENT") or "alts"
local segment, next_index, done, quota

function init(args)
  for _, s in ipairs(segments) do if s.id == wanted then segment = s end end
  assert(segment, "unknown BENCH_SEGMENT " .. wanted)
  next_index = thread_id
  done = 0
  quota = math.ceil((accounts - thread_id) / threads)
end

function request()
  local account = next_index % accounts
  next_index = next_index + threads
  if phase == "deposit" then
    return wrk.format(nil, "/v1/segments/" .. segment.id .. "/collateral", nil,
      '{"account":"a' .. account .. '","asset":"USDC","amount":"100000"}')
  end
  local size = segment.size
  if account % 2 == 1 then size = -size end
  return wrk.format(nil, "/v1/segments/" .. segment.id .. "/positions", nil,
    '{"account":"a' .. account .. '","market":"' .. segment.market .. '","size":"' .. fmt(size) ..
    '","price":"' .. fmt(segment.price) .. '"}')
end

function response(status, headers, body)
  done = done + 1
  if done >= quota then wrk.thread:stop() end
end
