#!/usr/bin/env bash
# HTTP benchmark (issue #3): Bulkhead's HTTPServer (bench responder in
# scripts/bench/peers/bulkhead-echo) against Hummingbird 2.28.1 and nginx, same two routes:
#   GET /json   small JSON body
#   POST /echo  128-byte body echoed back (scripts/bench/peers/wrk-echo.lua)
# Server and wrk are pinned to different cores with taskset. Prints one table row per run:
# requests/s and wrk's p50/p99 latency.
#
#   scripts/bench/http.sh                                  # everything (~5 min at 10 s per run)
#   scripts/bench/http.sh --peers bulkhead --loops 1 --duration 5
#   options: --peers "bulkhead hummingbird nginx"  --loops "1 2"  --connections "64 256"
#            --routes "json echo"  --duration 10  --warmup 2  --no-build
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

peers="bulkhead hummingbird nginx"
loops_list="1 2"
connections_list="64 256"
routes="json echo"
duration=10
warmup=2
build=1
while [[ $# -gt 0 ]]; do
    case "$1" in
        --peers) peers="$2"; shift 2 ;;
        --loops) loops_list="$2"; shift 2 ;;
        --connections) connections_list="$2"; shift 2 ;;
        --routes) routes="$2"; shift 2 ;;
        --duration) duration="$2"; shift 2 ;;
        --warmup) warmup="$2"; shift 2 ;;
        --no-build) build=0; shift ;;
        -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done

for tool in wrk taskset curl; do
    command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }
done

build_dir="$root/.build-peers"
bulkhead_bin="$build_dir/bulkhead-echo/release/BulkheadEcho"
hummingbird_bin="$build_dir/hummingbird/release/HummingbirdPeer"
if [[ $build == 1 ]]; then
    for peer in $peers; do
        case "$peer" in
            bulkhead) swift build -c release --package-path scripts/bench/peers/bulkhead-echo --build-path "$build_dir/bulkhead-echo" >&2 ;;
            hummingbird) swift build -c release --package-path scripts/bench/peers/hummingbird/HummingbirdPeer --build-path "$build_dir/hummingbird" >&2 ;;
        esac
    done
fi

cores=$(nproc)
server_pid=""
nginx_prefix=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=""
    if [[ -n "$nginx_prefix" ]]; then rm -rf "$nginx_prefix"; nginx_prefix=""; fi
}
trap cleanup EXIT

# Cores: the server gets the first `loops` cores and wrk the rest; with too few cores the
# server gets core 0 only (all its loops share it) and wrk core 1, which the table notes.
cpu_split() {
    local loops=$1
    if (( cores >= loops + 1 )); then
        server_cpus="0-$((loops - 1))"
        wrk_cpus="$loops-$((cores - 1))"
        wrk_threads=$((cores - loops))
        note=""
    else
        server_cpus="0"
        wrk_cpus="$((cores > 1 ? 1 : 0))"
        wrk_threads=1
        note="(server loops share core 0)"
    fi
}

start_server() {
    local peer=$1 loops=$2
    case "$peer" in
        bulkhead)
            port=18081
            taskset -c "$server_cpus" "$bulkhead_bin" "$port" "$loops" >/dev/null &
            server_pid=$! ;;
        hummingbird)
            port=18082
            taskset -c "$server_cpus" "$hummingbird_bin" "$port" "$loops" >/dev/null &
            server_pid=$! ;;
        nginx)
            port=18083
            nginx_prefix=$(mktemp -d)
            mkdir -p "$nginx_prefix/tmp"
            taskset -c "$server_cpus" nginx -e stderr -p "$nginx_prefix" -c "$root/scripts/bench/peers/nginx.conf" \
                -g "worker_processes $loops; worker_cpu_affinity auto $(cpu_mask "$server_cpus");" &
            server_pid=$! ;;
    esac
    # Wait (bounded) until the port answers.
    for _ in $(seq 1 100); do
        if curl -fs -o /dev/null "http://127.0.0.1:$port/json"; then return 0; fi
        if ! kill -0 "$server_pid" 2>/dev/null; then echo "$peer exited during start-up" >&2; return 1; fi
        sleep 0.1
    done
    echo "$peer did not answer on port $port" >&2
    return 1
}

# "0-1" → binary affinity mask for nginx ("11"), "0" → "1".
cpu_mask() {
    local first last mask="" i
    first=${1%-*}; last=${1#*-}
    for (( i = last; i >= 0; i-- )); do
        if (( i >= first )); then mask+="1"; else mask+="0"; fi
    done
    echo "$mask"
}

check_routes() {
    local body
    body=$(curl -fs "http://127.0.0.1:$port/json")
    [[ "$body" == '{"message":"Hello, World!"}' ]] || { echo "unexpected /json body: $body" >&2; return 1; }
    body=$(curl -fs -X POST --data-binary 'ping' "http://127.0.0.1:$port/echo")
    [[ "$body" == "ping" ]] || { echo "unexpected /echo body: $body" >&2; return 1; }
}

# Converts wrk's latency ("812.00us", "1.23ms", "2.00s") to milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /s$/) n *= 1000
        printf "%.2f", n }'
}

run_wrk() {
    local route=$1 connections=$2 seconds=$3
    local url="http://127.0.0.1:$port/$route" script=()
    [[ "$route" == echo ]] && script=(-s "$root/scripts/bench/peers/wrk-echo.lua")
    taskset -c "$wrk_cpus" wrk -t "$wrk_threads" -c "$connections" -d "${seconds}s" --latency "${script[@]}" "$url"
}

printf '%-12s %5s %6s %6s %12s %10s %10s %8s %s\n' peer loops conns route "req/s" "p50(ms)" "p99(ms)" errors ""
for peer in $peers; do
    for loops in $loops_list; do
        cpu_split "$loops"
        start_server "$peer" "$loops"
        check_routes
        for route in $routes; do
            for connections in $connections_list; do
                run_wrk "$route" "$connections" "$warmup" >/dev/null
                output=$(run_wrk "$route" "$connections" "$duration")
                rps=$(awk '/^Requests\/sec:/ {print $2}' <<<"$output")
                p50=$(awk '$1 == "50%" {print $2}' <<<"$output")
                p99=$(awk '$1 == "99%" {print $2}' <<<"$output")
                # Socket errors (connect/read/write/timeout) plus non-2xx responses, as one count.
                errors=$(awk '/Socket errors:/ { gsub(/,/, ""); n += $4 + $6 + $8 + $10 }
                              /Non-2xx or 3xx responses:/ { n += $5 }
                              END { print n + 0 }' <<<"$output")
                printf '%-12s %5s %6s %6s %12s %10s %10s %8s %s\n' "$peer" "$loops" "$connections" "$route" \
                    "$rps" "$(to_ms "$p50")" "$(to_ms "$p99")" "$errors" "$note"
            done
        done
        cleanup
    done
done
