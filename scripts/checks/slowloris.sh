#!/usr/bin/env bash
# Slowloris resilience: a normal client must keep >= 80% of its throughput while 1,000 slow
# connections (from another loopback address, 127.0.0.2) trickle request heads at the server.
# Bounded: two 10 s wrk runs and a ~40 s attack; everything on loopback; stops by itself.
#
#   BULKHEAD_BIN          binary (default: debug build); BULKHEAD_URL to test a running server
#   SLOWLORIS_CONNECTIONS slow connections (default 1000)
#   SLOWLORIS_MIN_RATIO   pass threshold (default 0.80)
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v wrk >/dev/null || { echo "slowloris: needs wrk (apt-get install wrk)"; exit 2; }
ulimit -n 16384 2>/dev/null || ulimit -n 4096

connections=${SLOWLORIS_CONNECTIONS:-1000}
min_ratio=${SLOWLORIS_MIN_RATIO:-0.80}
work=$(mktemp -d /tmp/bulkhead-slowloris.XXXXXX)
server= attacker=
cleanup() {
    [[ -n $attacker ]] && kill "$attacker" 2>/dev/null || true
    if [[ -n $server ]]; then kill -TERM "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

if [[ -n ${BULKHEAD_URL:-} ]]; then
    url=$BULKHEAD_URL
else
    bin=${BULKHEAD_BIN:-$(swift build --show-bin-path)/bulkhead}
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    cp -R Config "$work/config"; mkdir "$work/data"
    # The measured client is one address sending as fast as it can: request rate limits off
    # (this checks the head timeouts and connection caps, not the rate limits; see flood.sh).
    BULKHEAD_HTTP_ADDRESS_REQUESTS_PER_SECOND=0 BULKHEAD_HTTP_CONNECTION_REQUESTS_PER_SECOND=0 \
    BULKHEAD_RATE_LIMITS_READ_REQUESTS_PER_SECOND=0 \
        "$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" --data "$work/data" >"$work/server.log" 2>&1 &
    server=$!
    url=http://127.0.0.1:$port
    for _ in $(seq 1 120); do curl -fsS -o /dev/null "$url/readyz" 2>/dev/null && break; sleep 0.5; done
    curl -fsS -o /dev/null "$url/readyz" || { echo "slowloris: server not ready"; tail -30 "$work/server.log"; exit 1; }
fi
port=${url##*:}
target="$url/v1/segments"

# Successful requests per second of a normal keep-alive client (4 connections).
good_rps() {
    local out total non2xx seconds
    out=$(wrk -t1 -c4 -d10s -H 'Authorization: Bearer dev-read-key' "$target")
    echo "$out" >&2
    total=$(echo "$out" | awk '/requests in/ { print $1 }')
    seconds=$(echo "$out" | awk '/requests in/ { gsub(/s,?/, "", $4); print $4 }')
    non2xx=$(echo "$out" | awk '/Non-2xx/ { print $5 }')
    python3 -c "print(f'{(${total:-0} - ${non2xx:-0}) / ${seconds:-10}:.1f}')"
}

rss() { [[ -n $server ]] && awk '/VmRSS/ { print $2 " kB" }' "/proc/$server/status" || echo "n/a"; }

echo "== baseline (no attack)"
base=$(good_rps)
echo "baseline: $base good req/s, server RSS $(rss)"

echo "== attack: $connections slow connections from 127.0.0.2"
python3 scripts/checks/slowloris.py --port "$port" --connections "$connections" --duration 40 >"$work/attack.log" 2>&1 &
attacker=$!
# Let the attacker ramp up (it opens all connections within ~2 s and logs each second).
for _ in $(seq 1 20); do grep -q "open=" "$work/attack.log" 2>/dev/null && break; sleep 0.5; done
sleep 3
tail -1 "$work/attack.log"
under=$(good_rps)
echo "under attack: $under good req/s, server RSS $(rss)"
tail -1 "$work/attack.log"
wait "$attacker" || true
attacker=
echo "attacker summary: $(tail -1 "$work/attack.log")"

ratio=$(python3 -c "print(f'{$under / $base:.3f}' if $base > 0 else '0')")
echo "throughput kept: $ratio (threshold $min_ratio)"
python3 -c "import sys; sys.exit(0 if $ratio >= $min_ratio else 1)" && echo "slowloris: PASS" || { echo "slowloris: FAIL"; exit 1; }
