#!/usr/bin/env bash
# The document as a client meets it: build Examples/GeneratedClient (a client generated from
# openapi.yaml by apple/swift-openapi-generator, async-http-client transport), start
# `bulkhead serve --ephemeral` on a free loopback port with the default Config/ (development
# keys), run the README walk-through through the generated client, stop the server. Fails
# when any answer does not decode through the generated types, so openapi.yaml cannot drift
# from what the server sends.
#
#   BULKHEAD_BIN   server binary (default: the debug build)
#
# The client's packages resolve like the project's (on these machines, local mirrors: no
# network needed). Its first build takes several minutes (async-http-client, SwiftNIO and the
# generator); later ones are incremental. Its build folder is Examples/GeneratedClient/.build.
set -euo pipefail
cd "$(dirname "$0")/../.."

package=Examples/GeneratedClient
echo "generated-client: building $package"
swift build --package-path "$package" --product Walkthrough
walkthrough=$(swift build --package-path "$package" --show-bin-path)/Walkthrough

bin=${BULKHEAD_BIN:-$(swift build --show-bin-path)/bulkhead}
[[ -x $bin ]] || swift build --product bulkhead
work=$(mktemp -d /tmp/bulkhead-generated-client.XXXXXX)
server=
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

# A fresh state each run: the journal in memory (--ephemeral), nothing read from ./data.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$bin" serve --ephemeral --host 127.0.0.1 --port "$port" --config Config >"$work/server.log" 2>&1 &
server=$!

for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "generated-client: server exited before it was ready"; cat "$work/server.log"; exit 1
    fi
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" || { echo "generated-client: server not ready after 60 s"; tail -50 "$work/server.log"; exit 1; }

status=0
"$walkthrough" "http://127.0.0.1:$port" || status=$?
if [[ $status -ne 0 ]]; then
    echo "generated-client: failed (exit $status); last server log lines:"
    tail -30 "$work/server.log"
fi
exit $status
