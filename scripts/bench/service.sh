#!/usr/bin/env bash
# HTTP benchmark of the service: POST /positions and POST /prices (each answered only once
# its journal batch is fsync'd) against GET /healthz of the same server, at 64 and 256
# connections, with 3 segments × BENCH_ACCOUNTS accounts loaded. Prints req/s and p50/p99 per
# case and the ratio to /healthz (target ≥ 0.6).
#
#   BULKHEAD_BIN     binary (default: release build, built if missing)
#   BENCH_SECONDS    duration per case (default 5)
#   BENCH_ACCOUNTS   accounts per segment (default 10000)
#   BENCH_THREADS    wrk threads (default 2)
#   BENCH_CPUS       taskset CPU list for wrk (optional, e.g. "1")
#   BENCH_EPHEMERAL  1: in-memory journal (isolates the service from fsync; not the product)
#   BENCH_CASES      which cases (default "healthz floor positions prices"); floor is
#                    positions.lua with an unknown key (401 before any JSON): the same
#                    request and wrk cost with no risk path, i.e. the ratio's ceiling here
#   BENCH_REPEAT     rounds of all cases (default 3); each round runs healthz next to the
#                    POSTs, and the summary gives medians and the median of per-round ratios
#   BENCH_CONNECTIONS connection counts (default "64 256")
#   BENCH_LOOPS      the server's http.eventLoops (default: the service's default)
#   BENCH_DATA_PARENT where the data folder goes (default: /tmp); /dev/shm keeps the whole
#                    journal path (SQLite, group commit, fsync calls) but takes the disk out
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${BENCH_SECONDS:-5}
threads=${BENCH_THREADS:-2}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-10000}
export BENCH_THREADS=$threads
export BENCH_LUA_DIR=$PWD/scripts/bench/service
bin=${BULKHEAD_BIN:-.build/release/bulkhead}
[[ -x $bin ]] || swift build -c release --product bulkhead
command -v wrk >/dev/null || { echo "bench-service: wrk not installed"; exit 1; }
wrk_cmd=(wrk)
[[ -n ${BENCH_CPUS:-} ]] && wrk_cmd=(taskset -c "$BENCH_CPUS" wrk)

work=$(mktemp -d /tmp/bulkhead-bench.XXXXXX)
data=
server=
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then kill -TERM "$server"; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work" ${data:+"$data"}
}
trap cleanup EXIT

data=$(mktemp -d "${BENCH_DATA_PARENT:-/tmp}/bulkhead-bench-data.XXXXXX")
mkdir -p "$work/config"
cp Config/segments.json Config/keys.json Config/bridges.json "$work/config/"
# wrk is one loopback address and one key: the per-address, per-connection and per-key rate
# limits (which a flood is meant to hit) are off here, the connection cap stays.
loops=
[[ -n ${BENCH_LOOPS:-} ]] && loops=", \"eventLoops\": $BENCH_LOOPS"
cat >"$work/config/service.json" <<JSON
{"log": {"level": "warning"}, "segments": {"maxInFlight": 4096},
 "rateLimits": {"admin": {"requestsPerSecond": 0}, "oracle": {"requestsPerSecond": 0}, "trading": {"requestsPerSecond": 0}, "read": {"requestsPerSecond": 0}},
 "http": {"addressRequestsPerSecond": 0, "connectionRequestsPerSecond": 0$loops}}
JSON
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
extra=()
[[ ${BENCH_EPHEMERAL:-0} == 1 ]] && extra+=(--ephemeral)
"$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" --data "$data" "${extra[@]}" >"$work/server.log" 2>&1 &
server=$!
url=http://127.0.0.1:$port
for _ in $(seq 1 100); do curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break; sleep 0.1; done
curl -fsS -o /dev/null "$url/readyz" || { echo "server not ready"; cat "$work/server.log"; exit 1; }

post_prices() {
    local now; now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
    for pair in "majors BTC-USD 64000" "alts SOL-USD 150" "stable EUR-USD 1.1"; do
        set -- $pair
        curl -fsS -o /dev/null -H "Authorization: Bearer dev-oracle-key" -H "Content-Type: application/json" \
            -d "{\"prices\":[{\"market\":\"$2\",\"price\":\"$3\",\"timestamp\":\"$now\",\"source\":\"bench-setup\"}]}" \
            "$url/v1/segments/$1/prices"
    done
}

echo "loading 3 segments × $BENCH_ACCOUNTS accounts…"
"${wrk_cmd[@]}" -t"$threads" -c64 -d"${BENCH_LOAD_SECONDS:-15}s" -s scripts/bench/service/load.lua "$url" >"$work/load.txt"
grep -E "requests in" "$work/load.txt"

declare -A rps
journal_counters() {  # "entries batches" from the journal's gauges
    curl -fsS "$url/metrics" | awk '$1 == "bulkhead_journal_entries_committed" {e=$2} $1 == "bulkhead_journal_batches_committed" {b=$2} END {print e+0, b+0}'
}
declare -A samples ratios
run() {  # name connections [script]
    local name=$1 connections=$2 script=${3:-}
    post_prices
    local before; before=$(journal_counters)
    local args=(-t"$threads" -c"$connections" -d"${seconds}s" --latency)
    [[ -n $script ]] && args+=(-s "scripts/bench/service/$script")
    local key=
    [[ $name == floor ]] && key=not-a-key
    BENCH_KEY=$key "${wrk_cmd[@]}" "${args[@]}" "$url$([[ -z $script ]] && echo /healthz)" >"$work/$name-$connections.txt"
    local reqs p50 p99 non2xx
    reqs=$(awk '/Requests\/sec/ {print $2}' "$work/$name-$connections.txt")
    p50=$(awk '$1 == "50%" {print $2}' "$work/$name-$connections.txt")
    p99=$(awk '$1 == "99%" {print $2}' "$work/$name-$connections.txt")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$work/$name-$connections.txt")
    rps[$name-$connections]=$reqs
    samples[$name-$connections]+="$reqs "
    local batch
    batch=$(echo "$before $(journal_counters)" | awk '{d = $4 - $2; if (d > 0) printf "%.1f", ($3 - $1) / d; else printf "-"}')
    printf "%-10s c=%-4s %10s req/s  p50 %-9s p99 %-9s non-2xx %s  mean batch %s\n" "$name" "$connections" "$reqs" "$p50" "$p99" "${non2xx:-0}" "$batch"
}

cases=${BENCH_CASES:-healthz floor positions prices}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
for round in $(seq 1 "${BENCH_REPEAT:-3}"); do
    echo "round $round"
    for connections in ${BENCH_CONNECTIONS:-64 256}; do
        for name in $cases; do
            case $name in
            healthz) run healthz "$connections" ;;
            floor) run floor "$connections" positions.lua ;;
            *) run "$name" "$connections" "$name.lua" ;;
            esac
        done
        [[ " $cases " == *" healthz "* ]] || continue
        for name in $cases; do
            [[ $name == healthz ]] && continue
            ratios[$name-$connections]+="$(awk -v a="${rps[$name-$connections]}" -v b="${rps[healthz-$connections]}" 'BEGIN { printf "%.3f", a / b }') "
        done
    done
done
echo "medians over ${BENCH_REPEAT:-3} rounds"
for connections in ${BENCH_CONNECTIONS:-64 256}; do
    for name in $cases; do
        printf "%-10s c=%-4s median %10.0f req/s   (rounds: %s)\n" "$name" "$connections" \
            "$(echo "${samples[$name-$connections]}" | median)" "${samples[$name-$connections]% }"
    done
done
[[ " $cases " == *" healthz "* ]] || exit 0
for connections in ${BENCH_CONNECTIONS:-64 256}; do
    for name in $cases; do
        [[ $name == healthz ]] && continue
        printf "ratio %s/healthz c=%s: median %s (rounds: %s; target ≥ 0.6)\n" "$name" "$connections" \
            "$(echo "${ratios[$name-$connections]}" | median)" "${ratios[$name-$connections]% }"
    done
done
