-- Shared by the bench-service scripts: segments, markets and base prices of Config/segments.json.
segments = {
  { id = "majors", market = "BTC-USD", price = 64000, size = 0.001 },
  { id = "alts",   market = "SOL-USD", price = 150,   size = 0.1 },
  { id = "stable", market = "EUR-USD", price = 1.1,   size = 100 },
}
accounts = tonumber(os.getenv("BENCH_ACCOUNTS") or "10000")
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

-- Development keys of Config/keys.json (admin requests are audit-logged; these are not).
function use_key(key) wrk.headers["Authorization"] = "Bearer " .. key end

local thread_count = 0
function setup(thread)
  thread:set("thread_id", thread_count)
  thread_count = thread_count + 1
end

function fmt(x)
  -- 8 fractional digits at most, no exponent (the API refuses both).
  local s = string.format("%.8f", x):gsub("0+$", ""):gsub("%.$", "")
  return s
end
