#!/usr/bin/env bash
# Issue #15's second figure: failover time, kill -9 of a segment's owner → the first 200 from
# the new owner, with BENCH_ACCOUNTS accounts (deposit + one position each) in the segment.
# Two release instances `serve --cluster` on a throw-away PostgreSQL, lease 2 s renewed every
# 0.5 s (the settings of Tests/JournalTests/ClusterProcessTests.swift), default snapshot
# interval. Each kill: kill -9 instance a (the segment's preferred owner), then poll b every
# 20 ms until a read (GET account) and a durable write (POST collateral) of the segment both
# answer 200 (scripts/bench/cluster/failover-probe.py); then a restarts under the same id and
# is handed the segment back before the next kill. Prints kill → first 200 per kill, median,
# max, and the loading part ("segment taken … millis=" of b's log). Target ≤ lease + 2 s.
#
#   BULKHEAD_BIN       binary (default .build-release/release/bulkhead, else .build/release)
#   BENCH_KILLS        kills (default 5)
#   BENCH_ACCOUNTS     accounts in the segment (default 10000)
#   BENCH_SEGMENT      segment (default: the first of alts, majors, stable that a owns)
#   BENCH_LOAD_SECONDS how long each loading pass may take (default 15; wrk runs that long)
#   BENCH_LEASE_MILLIS / BENCH_RENEW_MILLIS   lease and renew interval (default 2000 / 500)
set -euo pipefail
cd "$(dirname "$0")/../.."

kills=${BENCH_KILLS:-5}
lease=${BENCH_LEASE_MILLIS:-2000}
renew=${BENCH_RENEW_MILLIS:-500}
export BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-10000}
export BENCH_THREADS=2
export BENCH_LUA_DIR=$PWD/scripts/bench/service
source scripts/bench/cluster/postgres.sh
require_release_binary_and_wrk

work=$(mktemp -d /tmp/bulkhead-bench-failover.XXXXXX)
declare -A pid port
cleanup() {
    for id in a b; do
        local p=${pid[$id]:-}
        if [[ -n $p ]] && kill -0 "$p" 2>/dev/null; then kill -TERM "$p"; wait "$p" 2>/dev/null || true; fi
    done
    pg_stop
    rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/config"
cp Config/segments.json Config/keys.json Config/bridges.json "$work/config/"
cat >"$work/config/service.json" <<JSON
{"log": {"level": "notice"}, "segments": {"maxInFlight": 4096},
 "rateLimits": {"admin": {"requestsPerSecond": 0}, "oracle": {"requestsPerSecond": 0}, "trading": {"requestsPerSecond": 0}, "read": {"requestsPerSecond": 0}},
 "http": {"addressRequestsPerSecond": 0, "connectionRequestsPerSecond": 0}}
JSON
pg_start
echo "PostgreSQL on port $pg_port; binary $bin; lease ${lease} ms, renew ${renew} ms"
port[a]=$(free_port)
port[b]=$(free_port)

start() {  # id
    local id=$1
    BULKHEAD_CLUSTER_LEASE_MILLIS=$lease BULKHEAD_CLUSTER_RENEW_MILLIS=$renew \
        "$bin" serve --host 127.0.0.1 --port "${port[$id]}" --config "$work/config" --data "$work/data-$id" \
        --cluster "$pg_url" --instance-id "$id" --advertise "http://127.0.0.1:${port[$id]}" >>"$work/$id.log" 2>&1 &
    pid[$id]=$!
}
serves() {  # id segment → true once the instance lists the segment as served
    curl -fsS "http://127.0.0.1:${port[$1]}/readyz" 2>/dev/null | grep -q "\"$2\""
}
wait_for() {  # seconds command…
    local deadline=$((SECONDS + $1)); shift
    until "$@"; do
        ((SECONDS < deadline)) || return 1
        sleep 0.05
    done
}

start a
start b
wait_for 30 serves a majors || wait_for 30 serves a alts || wait_for 30 serves a stable || { echo "a serves nothing"; cat "$work/a.log"; exit 1; }
sleep 1  # one more round, so the split has settled
segment=${BENCH_SEGMENT:-}
if [[ -z $segment ]]; then
    for candidate in alts majors stable; do serves a "$candidate" && { segment=$candidate; break; }; done
fi
wait_for 30 serves a "$segment" || { echo "a does not serve $segment"; exit 1; }
url=http://127.0.0.1:${port[a]}
echo "segment $segment, owned by a; loading $BENCH_ACCOUNTS accounts (deposit, then one position each)…"

post_price() {
    local market price now
    market=$(awk -v s="$segment" '$0 ~ "id = \"" s "\"" { match($0, /market = "[^"]*"/); print substr($0, RSTART + 10, RLENGTH - 11) }' scripts/bench/service/common.lua)
    price=$(awk -v s="$segment" '$0 ~ "id = \"" s "\"" { match($0, /price = [0-9.]*/); print substr($0, RSTART + 8, RLENGTH - 8) }' scripts/bench/service/common.lua)
    now=$(date -u +%Y-%m-%dT%H:%M:%S.%NZ)
    curl -fsS -o /dev/null -H "Authorization: Bearer dev-oracle-key" -H "Content-Type: application/json" \
        -d "{\"prices\":[{\"market\":\"$market\",\"price\":\"$price\",\"timestamp\":\"$now\",\"source\":\"bench-setup\"}]}" \
        "$url/v1/segments/$segment/prices"
}
for phase in deposit fill; do
    [[ $phase == fill ]] && post_price
    BENCH_PHASE=$phase BENCH_SEGMENT=$segment wrk -t2 -c64 -d"${BENCH_LOAD_SECONDS:-15}s" \
        -s scripts/bench/cluster/load-segment.lua "$url" >"$work/load-$phase.txt"
    printf "%-8s %s, non-2xx %s\n" "$phase" "$(grep -Eo '[0-9]+ requests in [^,]*' "$work/load-$phase.txt")" \
        "$(awk '/Non-2xx/ {print $NF}' "$work/load-$phase.txt" | grep . || echo 0)"
done
accounts=$(curl -fsS -H "Authorization: Bearer dev-read-key" "$url/v1/segments/$segment" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["totals"]["accounts"])' 2>/dev/null || echo "?")
echo "segment $segment: accounts $accounts"

times=
loads=
for k in $(seq 1 "$kills"); do
    before=$(grep -c "segment taken" "$work/b.log" || true)
    ms=$(scripts/bench/cluster/failover-probe.py "${pid[a]}" "http://127.0.0.1:${port[b]}" "$segment" 30)
    wait "${pid[a]}" 2>/dev/null || true
    taken=$(grep "segment taken" "$work/b.log" | tail -n +"$((before + 1))" | grep "$segment" | tail -1)
    millis=$(grep -Eo 'millis=[0-9]+' <<<"$taken" | cut -d= -f2)
    replayed=$(grep -Eo 'replayed=[0-9]+' <<<"$taken" | cut -d= -f2)
    printf "kill %s: kill -9 → first 200 (read and durable write) from b: %s ms; b's load %s ms, %s entries replayed\n" \
        "$k" "$ms" "${millis:-?}" "${replayed:-?}"
    [[ $ms == timeout ]] && { tail -20 "$work/b.log"; exit 1; }
    times+="$ms "; loads+="${millis:-0} "
    # a comes back under the same id and is handed the segment back (it is the preferred owner).
    start a
    wait_for 60 serves a "$segment" || { echo "a did not take $segment back"; tail -20 "$work/a.log"; exit 1; }
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
max() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }
echo "kill -9 → first 200 over $kills kills: median $(echo "$times" | median) ms, max $(echo "$times" | max) ms (target ≤ lease + 2 s = $((lease + 2000)) ms)"
echo "of which loading the segment (snapshot + tail): median $(echo "$loads" | median) ms, max $(echo "$loads" | max) ms"
