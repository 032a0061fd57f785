#!/usr/bin/env bash
# Request flood: 256 keep-alive connections hammer a /v1 read for 20 s. Expect the rate
# limits (the defaults of Config/service.json: one address, so the per-address bucket) to
# answer 429 with Retry-After and the standard JSON error, the server's memory to stay within
# a bound, then the server to answer a normal request promptly. Loopback only; stops by itself.
#
#   BULKHEAD_BIN             binary (default: debug build)
#   FLOOD_SECONDS            flood duration (default 20)
#   FLOOD_MAX_GROWTH_MB      allowed RSS growth over the pre-flood figure (default 128)
#   FLOOD_EXPECT_429         1 (default): fail if no request was rate limited
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "flood: needs wrk (apt-get install wrk)"; exit 2; }
ulimit -n 16384 2>/dev/null || true

seconds=${FLOOD_SECONDS:-20}
max_growth_kb=$(( ${FLOOD_MAX_GROWTH_MB:-128} * 1024 ))
work=$(mktemp -d /tmp/bulkhead-flood.XXXXXX)
server=
cleanup() {
    if [[ -n $server ]]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

bin=${BULKHEAD_BIN:-$(swift build --show-bin-path)/bulkhead}
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp -R Config "$work/config"; mkdir "$work/data"
"$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break; sleep 0.5; done
curl -fsS -o /dev/null "$url/readyz" || { echo "flood: server not ready"; tail -30 "$work/server.log"; exit 1; }

rss_kb() { awk '/VmRSS/ { print $2 }' "/proc/$server/status"; }
# Warm up so the baseline includes steady-state allocations.
wrk -t1 -c4 -d2s -H 'Authorization: Bearer dev-read-key' "$url/v1/segments" >/dev/null
before=$(rss_kb)
echo "RSS before flood: ${before} kB"

( peak=0; while kill -0 "$server" 2>/dev/null; do r=$(rss_kb); (( r > peak )) && peak=$r && echo "$peak" >"$work/peak"; sleep 0.25; done ) &
sampler=$!
# While the flood runs, a client from the same address keeps asking until it is limited and
# keeps that answer, to check its shape (status, Retry-After, the standard JSON error).
( sleep 2; for _ in $(seq 1 200); do
      curl -s -D "$work/limited.head" -o "$work/limited.body" --max-time 2 \
          -H 'Authorization: Bearer dev-read-key' "$url/v1/segments" || true
      grep -q '^HTTP/1.1 429' "$work/limited.head" 2>/dev/null && break
      sleep 0.05
  done ) &
prober=$!
out=$(wrk -t2 -c256 -d"${seconds}s" -H 'Authorization: Bearer dev-read-key' "$url/v1/segments")
echo "$out"
kill "$sampler" 2>/dev/null || true
wait "$prober" 2>/dev/null || true
peak=$(cat "$work/peak" 2>/dev/null || echo "$before")
after=$(rss_kb)
growth=$(( peak - before ))
echo "RSS peak during flood: ${peak} kB (growth ${growth} kB, bound ${max_growth_kb} kB); after: ${after} kB"

non2xx=$(echo "$out" | awk '/Non-2xx/ { print $5 }')
total=$(echo "$out" | awk '/requests in/ { print $1 }')
echo "non-2xx (rate limited) responses during flood: ${non2xx:-0} of ${total:-?}"
limited_ok=1
if [[ ${FLOOD_EXPECT_429:-1} == 1 ]]; then
    if grep -q '^HTTP/1.1 429' "$work/limited.head" 2>/dev/null; then
        echo "a limited answer: $(head -1 "$work/limited.head" | tr -d '\r'), $(grep -i '^retry-after:' "$work/limited.head" | tr -d '\r'), body $(cat "$work/limited.body")"
        grep -qi '^retry-after: [0-9]' "$work/limited.head" || { echo "flood: FAIL: the 429 has no Retry-After"; limited_ok=0; }
        python3 -c 'import json, sys; e = json.load(open(sys.argv[1]))["error"]; sys.exit(0 if e["code"] == "rate_limited" and isinstance(e["message"], str) else 1)' \
            "$work/limited.body" || { echo "flood: FAIL: the 429 body is not the standard JSON error"; limited_ok=0; }
    else
        echo "flood: FAIL: the probing client never got a 429 during the flood"; limited_ok=0
    fi
fi

# After the flood a normal request must be answered (possibly 429 until the bucket refills).
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$url/healthz")
echo "GET /healthz right after the flood: $code"

fail=0
(( growth <= max_growth_kb )) || { echo "flood: FAIL: memory grew ${growth} kB > ${max_growth_kb} kB"; fail=1; }
[[ $code == 200 ]] || { echo "flood: FAIL: /healthz answered $code after the flood"; fail=1; }
(( limited_ok == 1 )) || fail=1
if [[ ${FLOOD_EXPECT_429:-1} == 1 && ${non2xx:-0} -eq 0 ]]; then
    echo "flood: FAIL: no request was rate limited (no non-2xx answers)"; fail=1
fi
[[ $fail -eq 0 ]] && echo "flood: PASS"
exit $fail
