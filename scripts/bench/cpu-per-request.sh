#!/usr/bin/env bash
# CPU per request, per server thread: on a shared 2-core box req/s swings with the
# neighbours, while CPU-µs per request (from /proc, user + system) is steadier and says
# where the time goes (http-loop-N, journal-writer, …) and what the load generator costs.
#
#   scripts/bench/cpu-per-request.sh SERVER_PID [wrk arguments…]
#   e.g. BENCH_LUA_DIR=$PWD/scripts/bench/service BENCH_ACCOUNTS=10000 \
#        scripts/bench/cpu-per-request.sh "$(pgrep -f 'bulkhead serve')" -t2 -c64 -d5s \
#        -s scripts/bench/service/positions.lua http://127.0.0.1:8080
#
# wrk runs pinned to core 1 (CPU_PER_REQUEST_WRK_CPUS to change); threads under 0.05 µs are
# left out.
set -euo pipefail
pid=${1:?usage: cpu-per-request.sh SERVER_PID [wrk arguments…]}
shift
ticks=$(getconf CLK_TCK)
out=$(mktemp)
trap 'rm -f "$out" "$out.time"' EXIT
cpu() { awk '{print $14 + $15}' "$1"; }
declare -A before
for task in /proc/"$pid"/task/*; do before[$task]=$(cpu "$task/stat"); done
/usr/bin/time -f "%U %S" -o "$out.time" taskset -c "${CPU_PER_REQUEST_WRK_CPUS:-1}" wrk "$@" >"$out"
requests=$(awk '/requests in/ {print $1}' "$out")
grep -E "Requests/sec" "$out"
awk -v r="$requests" '{printf "wrk          %6.1f µs/request\n", ($1 + $2) * 1e6 / r}' "$out.time"
total=0
for task in /proc/"$pid"/task/*; do
    [[ -r $task/stat ]] || continue
    delta=$(( $(cpu "$task/stat") - ${before[$task]:-0} ))
    total=$(( total + delta ))
    awk -v d="$delta" -v r="$requests" -v t="$ticks" -v n="$(cat "$task/comm")" \
        'BEGIN { us = d * 1e6 / t / r; if (us >= 0.05) printf "  %-16s %6.1f µs/request\n", n, us }'
done
awk -v d="$total" -v r="$requests" -v t="$ticks" 'BEGIN { printf "server       %6.1f µs/request\n", d * 1e6 / t / r }'
