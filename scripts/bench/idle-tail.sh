#!/usr/bin/env bash
# Tail latency with many idle keep-alive connections (issue #3): wrk against GET /json of the
# bulkhead-echo peer, first alone, then while IDLE connections (each has made one request and
# then sits idle in keep-alive) stay open. Server and wrk pinned to different cores.
#   scripts/bench/idle-tail.sh [IDLE=9900] [SECONDS=10]
# Needs the echo peer built by scripts/bench/http.sh (.build-peers/bulkhead-echo/release).
set -euo pipefail
cd "$(dirname "$0")/../.."
idle=${1:-9900}
seconds=${2:-10}
bin=${BULKHEAD_ECHO_BIN:-.build-peers/bulkhead-echo/release/BulkheadEcho}
[[ -x $bin ]] || { echo "build the echo peer first: scripts/bench/http.sh --peers bulkhead" >&2; exit 2; }
ulimit -n "$(ulimit -Hn)"  # the server and the idle holder each need ~IDLE descriptors
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
taskset -c 0 "$bin" "$port" 1 >/dev/null &
server=$!
holder=""
cleanup() { kill "$server" ${holder:+"$holder"} 2>/dev/null || true; }
trap cleanup EXIT
for _ in $(seq 50); do curl -fs "http://127.0.0.1:$port/json" >/dev/null && break; sleep 0.1; done

run() { taskset -c 1 wrk -t 2 -c 64 -d "${seconds}s" --latency "http://127.0.0.1:$port/json" |
    awk -v label="$1" '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} END {printf "%-22s req/s %10s  p50 %8s  p99 %8s\n", label, rps, p50, p99}'; }

run "no idle connections"
ready=$(mktemp -u)
mkfifo "$ready"
python3 - "$port" "$idle" "$ready" <<'PY' &
import socket, sys, time
port, count, ready = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
socks = []
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /json HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += s.recv(4096)
    socks.append(s)
with open(ready, "w") as f:
    f.write(f"{len(socks)}\n")
time.sleep(3600)
PY
holder=$!
read -r opened < "$ready"
rm -f "$ready"
run "$opened idle connections"
