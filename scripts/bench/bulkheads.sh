#!/usr/bin/env bash
# Resource bulkheads (issue 19): segment B's single-client durable fill latency alone and
# while segment A is flooded by 128 connections, side by side, in one run; with A's
# throughput and shed rate. Target: B's p99 under the flood ≤ 2× its p99 alone.
#
#   BULKHEAD_BIN      binary (default: release build, built if missing)
#   BENCH_SECONDS     duration of each measurement (default 10)
#   BENCH_ACCOUNTS    accounts loaded per segment (default 2000)
#   BENCH_BUDGET      segments.maxInFlight, the weight-1 in-flight budget (default: the service's)
#   BENCH_FLOOD_CONNECTIONS  connections flooding A (default 128)
#   BENCH_DATA_PARENT where the data folder goes (default: /tmp)
#   BENCH_QUIET / BENCH_FLOODED  segment ids (default alts / majors)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${BENCH_SECONDS:-10}
flood=${BENCH_FLOOD_CONNECTIONS:-128}
quiet=${BENCH_QUIET:-alts}
flooded=${BENCH_FLOODED:-majors}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-2000}
export BENCH_THREADS=1
export BENCH_LUA_DIR=$PWD/scripts/bench/service
bin=${BULKHEAD_BIN:-.build/release/bulkhead}
[[ -x $bin ]] || swift build -c release --product bulkhead
command -v wrk >/dev/null || { echo "bulkheads: wrk not installed"; exit 1; }

work=$(mktemp -d /tmp/bulkhead-bulkheads.XXXXXX)
data=
server=
flooder=
cleanup() {
    if [[ -n $flooder ]] && kill -0 "$flooder" 2>/dev/null; then kill "$flooder"; wait "$flooder" 2>/dev/null || true; fi
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work" ${data:+"$data"}
}
trap cleanup EXIT

data=$(mktemp -d "${BENCH_DATA_PARENT:-/tmp}/bulkhead-bulkheads-data.XXXXXX")
mkdir -p "$work/config"
cp Config/segments.json Config/keys.json "$work/config/"
budget=
[[ -n ${BENCH_BUDGET:-} ]] && budget="\"maxInFlight\": $BENCH_BUDGET"
# One loopback address: the per-address and per-connection rate limits are off, so what
# stops the flood is the segment's own budget.
cat >"$work/config/service.json" <<JSON
{"log": {"level": "warning"}, "segments": {$budget},
 "rateLimits": {"admin": {"requestsPerSecond": 0}, "oracle": {"requestsPerSecond": 0}, "trading": {"requestsPerSecond": 0}, "read": {"requestsPerSecond": 0}},
 "http": {"addressRequestsPerSecond": 0, "connectionRequestsPerSecond": 0}}
JSON
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" --data "$data" >"$work/server.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$url/readyz" || { echo "server not ready"; cat "$work/server.log"; exit 1; }

now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
for pair in "majors BTC-USD 64000" "alts SOL-USD 150" "stable EUR-USD 1.1"; do
    set -- $pair
    curl -fsS -o /dev/null -H "Authorization: Bearer dev-oracle-key" -H "Content-Type: application/json" \
        -d "{\"prices\":[{\"market\":\"$2\",\"price\":\"$3\",\"timestamp\":\"$now\",\"source\":\"bench-setup\"}]}" \
        "$url/v1/segments/$1/prices"
done
echo "loading 3 segments × $BENCH_ACCOUNTS accounts…"
wrk -t1 -c32 -d60s -s scripts/bench/service/load.lua "$url" >/dev/null

field() { awk -v k="$2" '$1 == k {print $2}' "$1"; }
quiet_run() {  # output file
    BENCH_SEGMENT=$quiet wrk -t1 -c1 -d"${seconds}s" --latency -s scripts/bench/service/fill-one.lua "$url" >"$1"
}
shed_total() {
    curl -fsS "$url/metrics" | awk -v s="$flooded" 'index($1, "bulkhead_segment_shed_total{segment=\"" s "\"") == 1 {t += $2} END {print t + 0}'
}

echo "B ($quiet) alone: 1 connection, ${seconds}s"
quiet_run "$work/alone.txt"

echo "B ($quiet) while A ($flooded) is flooded by $flood connections"
shed_before=$(shed_total)
BENCH_SEGMENT=$flooded wrk -t1 -c"$flood" -d"$((seconds + 2))s" -s scripts/bench/service/fill-one.lua "$url" >"$work/flood.txt" &
flooder=$!
sleep 1  # the flood reaches its steady state before B is measured
quiet_run "$work/flooded.txt"
wait "$flooder"
flooder=
shed_after=$(shed_total)

a_rps=$(awk '/Requests\/sec/ {print $2}' "$work/flood.txt")
a_total=$(awk '/requests in/ {print $1}' "$work/flood.txt")
a_non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/flood.txt")
b_non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/flooded.txt")
printf "\n%-28s %12s %10s %10s\n" "" "B req/s" "B p50" "B p99"
printf "%-28s %12s %10s %10s\n" "B alone" "$(awk '/Requests\/sec/ {print $2}' "$work/alone.txt")" \
    "$(field "$work/alone.txt" 50%)" "$(field "$work/alone.txt" 99%)"
printf "%-28s %12s %10s %10s\n" "B while A flooded (c=$flood)" "$(awk '/Requests\/sec/ {print $2}' "$work/flooded.txt")" \
    "$(field "$work/flooded.txt" 50%)" "$(field "$work/flooded.txt" 99%)"
to_us() { awk '{v = $1; if (v ~ /us$/) {sub(/us$/, "", v); print v} else if (v ~ /ms$/) {sub(/ms$/, "", v); print v * 1000} else if (v ~ /s$/) {sub(/s$/, "", v); print v * 1e6}}'; }
alone99=$(field "$work/alone.txt" 99% | to_us)
flood99=$(field "$work/flooded.txt" 99% | to_us)
awk -v a="$alone99" -v f="$flood99" 'BEGIN { printf "B p99 flooded / alone: %.2f× (target ≤ 2×)\n", f / a }'
echo "B non-2xx under the flood: ${b_non2xx:-0}"
awk -v r="$a_rps" -v t="$a_total" -v n="${a_non2xx:-0}" -v s="$((shed_after - shed_before))" \
    'BEGIN { printf "A: %s req/s answered, %d of %d shed 503 segment_busy (%.1f%%; %d counted in /metrics)\n", r, n, t, (t ? 100 * n / t : 0), s }'
