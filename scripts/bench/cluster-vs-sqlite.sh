#!/usr/bin/env bash
# Issue #15's first figure: durable POST /v1/segments/{segment}/positions on the PostgreSQL
# journal (`serve --cluster`, one instance owning the 3 segments) against the embedded SQLite
# journal, same machine, same wrk load (scripts/bench/service/positions.lua: a small fill for
# a random loaded account of a random segment; each answer waits for its commit). Both
# servers run side by side (the idle one costs ~nothing) and the rounds alternate, so a busy
# box moves both alike. Prints req/s, p50/p99 per run, medians and the median of the
# per-round ratios PostgreSQL / SQLite (issue target ≥ 0.5).
#
#   BULKHEAD_BIN      binary (default .build-release/release/bulkhead, else .build/release)
#   BENCH_SECONDS     duration per run (default 20)
#   BENCH_REPEAT      rounds (default 3)
#   BENCH_CONNECTIONS wrk connections (default 64)
#   BENCH_THREADS     wrk threads (default 2)
#   BENCH_ACCOUNTS    accounts per segment, each given a deposit first (default 5000)
#   BENCH_LOAD_SECONDS how long the deposits may take (default 10; wrk runs that long)
#   BENCH_DATA_PARENT where the SQLite data folder and the PostgreSQL cluster go (default /tmp)
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${BENCH_SECONDS:-20}
threads=${BENCH_THREADS:-2}
connections=${BENCH_CONNECTIONS:-64}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-5000}
export BENCH_THREADS=$threads
export BENCH_LUA_DIR=$PWD/scripts/bench/service
export BENCH_PG_PARENT=${BENCH_DATA_PARENT:-/tmp}
source scripts/bench/cluster/postgres.sh
require_release_binary_and_wrk

work=$(mktemp -d /tmp/bulkhead-bench-cluster.XXXXXX)
data=
declare -A server url
ticker=
cleanup() {
    [[ -n $ticker ]] && kill "$ticker" 2>/dev/null || true
    for store in sqlite postgres; do
        local pid=${server[$store]:-}
        if [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null; then kill -TERM "$pid"; wait "$pid" 2>/dev/null || true; fi
    done
    pg_stop
    rm -rf "$work" ${data:+"$data"}
}
trap cleanup EXIT

mkdir -p "$work/config"
cp Config/segments.json Config/keys.json Config/bridges.json "$work/config/"
# As scripts/bench/service.sh: wrk is one address and one key, so the rate limits are off.
cat >"$work/config/service.json" <<JSON
{"log": {"level": "warning"}, "segments": {"maxInFlight": 4096},
 "rateLimits": {"admin": {"requestsPerSecond": 0}, "oracle": {"requestsPerSecond": 0}, "trading": {"requestsPerSecond": 0}, "read": {"requestsPerSecond": 0}},
 "http": {"addressRequestsPerSecond": 0, "connectionRequestsPerSecond": 0}}
JSON

data=$(mktemp -d "${BENCH_DATA_PARENT:-/tmp}/bulkhead-bench-data.XXXXXX")
pg_start
echo "PostgreSQL $("$pg_bin/postgres" --version | awk '{print $NF}') on port $pg_port; binary $bin"

start() {  # store port args…
    local store=$1 port=$2; shift 2
    "$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" "$@" >"$work/$store.log" 2>&1 &
    server[$store]=$!
    url[$store]=http://127.0.0.1:$port
    # Ready, and (cluster) serving all 3 segments.
    for _ in $(seq 1 300); do
        local ready; ready=$(curl -fsS "${url[$store]}/readyz" 2>/dev/null || true)
        if [[ -n $ready ]] && { [[ $store == sqlite ]] || [[ $(grep -o '"majors"\|"alts"\|"stable"' <<<"$ready" | wc -l) == 3 ]]; }; then return 0; fi
        sleep 0.1
    done
    echo "$store server not ready"; cat "$work/$store.log"; exit 1
}
start sqlite "$(free_port)" --data "$data/sqlite"
port=$(free_port)
start postgres "$port" --data "$data/postgres" --cluster "$pg_url" --instance-id a --advertise "http://127.0.0.1:$port"

# Prices every 3 s while wrk runs: the oracles' maxAgeSeconds (15 s for alts) is shorter than
# a run, and a fill against a stale price is refused.
keep_prices_fresh() {  # STORE=…
    while true; do sleep 3; post_prices; done
}
post_prices() {  # STORE=…
    local now; now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
    for pair in "majors BTC-USD 64000" "alts SOL-USD 150" "stable EUR-USD 1.1"; do
        set -- $pair
        curl -fsS -o /dev/null -H "Authorization: Bearer dev-oracle-key" -H "Content-Type: application/json" \
            -d "{\"prices\":[{\"market\":\"$2\",\"price\":\"$3\",\"timestamp\":\"$now\",\"source\":\"bench-setup\"}]}" \
            "${url[$STORE]}/v1/segments/$1/prices" 2>/dev/null || true
    done
}

for store in sqlite postgres; do
    echo "$store: loading 3 segments × $BENCH_ACCOUNTS accounts…"
    wrk -t"$threads" -c64 -d"${BENCH_LOAD_SECONDS:-10}s" -s scripts/bench/service/load.lua "${url[$store]}" >"$work/load-$store.txt"
    grep -E "requests in" "$work/load-$store.txt"
done

journal_counters() {  # store → "entries batches"
    curl -fsS "${url[$1]}/metrics" | awk '$1 == "bulkhead_journal_entries_committed" {e=$2} $1 == "bulkhead_journal_batches_committed" {b=$2} END {print e+0, b+0}'
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
to_ms() { awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'; }
declare -A samples p50s p99s rps
ratios=
run() {  # store round
    local store=$1 round=$2 out=$work/$1-$2.txt
    STORE=$store post_prices
    STORE=$store keep_prices_fresh &
    ticker=$!
    local before; before=$(journal_counters "$store")
    wrk -t"$threads" -c"$connections" -d"${seconds}s" --latency -s scripts/bench/service/positions.lua "${url[$store]}" >"$out"
    kill "$ticker"; wait "$ticker" 2>/dev/null || true; ticker=
    local reqs p50 p99 non2xx errors batch
    reqs=$(awk '/Requests\/sec/ {print $2}' "$out")
    p50=$(to_ms "$(awk '$1 == "50%" {print $2}' "$out")")
    p99=$(to_ms "$(awk '$1 == "99%" {print $2}' "$out")")
    non2xx=$(awk '/Non-2xx/ {print $NF}' "$out")
    errors=$(awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 } END { print n + 0 }' "$out")
    batch=$(echo "$before $(journal_counters "$store")" | awk '{d = $4 - $2; if (d > 0) printf "%.1f", ($3 - $1) / d; else printf "-"}')
    rps[$store]=$reqs
    samples[$store]+="$reqs "; p50s[$store]+="$p50 "; p99s[$store]+="$p99 "
    printf "round %s %-8s %10s req/s  p50 %7s ms  p99 %7s ms  non-2xx %s  socket errors %s  mean batch %s\n" \
        "$round" "$store" "$reqs" "$p50" "$p99" "${non2xx:-0}" "$errors" "$batch"
    if [[ -n $non2xx ]]; then  # why: one refused request and the server's last lines
        curl -sS -H "Authorization: Bearer dev-trading-key" -H "Content-Type: application/json" \
            -d '{"account":"a1","market":"SOL-USD","size":"0.1","price":"150"}' "${url[$store]}/v1/segments/alts/positions"; echo
        tail -5 "$work/$store.log"
    fi
}
for round in $(seq 1 "${BENCH_REPEAT:-3}"); do
    run sqlite "$round"
    run postgres "$round"
    ratios+="$(awk -v a="${rps[postgres]}" -v b="${rps[sqlite]}" 'BEGIN { printf "%.3f", a / b }') "
done
echo "medians over ${BENCH_REPEAT:-3} rounds (wrk -t$threads -c$connections -d${seconds}s, durable POST positions):"
for store in sqlite postgres; do
    printf "%-8s %8.0f req/s  p50 %6.2f ms  p99 %6.2f ms   (req/s per round: %s)\n" "$store" \
        "$(echo "${samples[$store]}" | median)" "$(echo "${p50s[$store]}" | median)" "$(echo "${p99s[$store]}" | median)" "${samples[$store]% }"
done
printf "ratio postgres/sqlite: median %s (rounds: %s; target ≥ 0.5)\n" "$(echo "$ratios" | median)" "${ratios% }"
