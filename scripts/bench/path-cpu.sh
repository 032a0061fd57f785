#!/usr/bin/env bash
# Server CPU per request (µs, user + system from /proc ÷ requests) on the request path, for
# one or more builds side by side in one run: GET /healthz, POST …/orders/check (no journal)
# and durable POST …/positions, wrk pinned to core 1. CPU per request is steadier than req/s
# on a shared 2-core box; each case runs BENCH_REPEAT times and the median is printed.
#
#   scripts/bench/path-cpu.sh NAME=BINARY [NAME=BINARY…]
#   e.g. scripts/bench/path-cpu.sh before=/work/rel-before/release/bulkhead after=.build/release/bulkhead
#
#   BENCH_SECONDS (4), BENCH_REPEAT (3), BENCH_CONNECTIONS (64), BENCH_ACCOUNTS (10000)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds=${BENCH_SECONDS:-4}
repeat=${BENCH_REPEAT:-3}
connections=${BENCH_CONNECTIONS:-64}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-10000}
export BENCH_THREADS=2
export BENCH_LUA_DIR=$PWD/scripts/bench/service
command -v wrk >/dev/null || { echo "path-cpu: wrk not installed (apt-get install wrk)"; exit 1; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

declare -A results
server=
work=
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" 2>/dev/null || true; fi
    [[ -n $work ]] && rm -rf "$work"
}
trap cleanup EXIT

measure() {  # name binary
    local name=$1 bin=$2
    work=$(mktemp -d /tmp/bulkhead-path-cpu.XXXXXX)
    mkdir -p "$work/config" "$work/data"
    cp Config/segments.json Config/keys.json "$work/config/"
    cat >"$work/config/service.json" <<JSON
{"log": {"level": "warning"}, "segments": {"maxInFlight": 4096},
 "rateLimits": {"admin": {"requestsPerSecond": 0}, "oracle": {"requestsPerSecond": 0}, "trading": {"requestsPerSecond": 0}, "read": {"requestsPerSecond": 0}},
 "http": {"addressRequestsPerSecond": 0, "connectionRequestsPerSecond": 0}}
JSON
    local port; port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    "$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" --data "$work/data" >"$work/server.log" 2>&1 &
    server=$!
    local url=http://127.0.0.1:$port
    for _ in $(seq 1 100); do curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break; sleep 0.1; done
    local now; now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
    for pair in "majors BTC-USD 64000" "alts SOL-USD 150" "stable EUR-USD 1.1"; do
        set -- $pair
        curl -fsS -o /dev/null -H "Authorization: Bearer dev-oracle-key" -H "Content-Type: application/json" \
            -d "{\"prices\":[{\"market\":\"$2\",\"price\":\"$3\",\"timestamp\":\"$now\",\"source\":\"bench-setup\"}]}" \
            "$url/v1/segments/$1/prices"
    done
    taskset -c 1 wrk -t2 -c64 -d"${BENCH_LOAD_SECONDS:-6}s" -s scripts/bench/service/load.lua "$url" >/dev/null
    for round in $(seq 1 "$repeat"); do
        local us
        us=$(bash scripts/bench/cpu-per-request.sh "$server" -t2 -c"$connections" -d"${seconds}s" "$url/healthz" | awk '/^server/ {print $2}')
        results[$name-healthz]+="$us "
        us=$(BENCH_PATH=/orders/check bash scripts/bench/cpu-per-request.sh "$server" -t2 -c"$connections" -d"${seconds}s" \
            -s scripts/bench/service/positions.lua "$url" | awk '/^server/ {print $2}')
        results[$name-check]+="$us "
        us=$(bash scripts/bench/cpu-per-request.sh "$server" -t2 -c"$connections" -d"${seconds}s" \
            -s scripts/bench/service/positions.lua "$url" | awk '/^server/ {print $2}')
        results[$name-positions]+="$us "
    done
    kill -TERM "$server"; wait "$server" 2>/dev/null || true
    server=
    rm -rf "$work"; work=
}

names=()
for pair in "$@"; do
    names+=("${pair%%=*}")
    measure "${pair%%=*}" "${pair#*=}"
done
printf "%-10s %12s %12s %12s   (server CPU µs per request, median of %s, c=%s)\n" build healthz orders/check positions "$repeat" "$connections"
for name in "${names[@]}"; do
    printf "%-10s %12s %12s %12s\n" "$name" "$(echo "${results[$name-healthz]}" | median)" \
        "$(echo "${results[$name-check]}" | median)" "$(echo "${results[$name-positions]}" | median)"
done
