#!/usr/bin/env bash
# Property-based API check: start `bulkhead serve` on a free loopback port with a temporary
# data folder and the development keys, run schemathesis over openapi.yaml (bounded examples,
# fixed seed), stop the server. Fails on any 5xx or any response that does not match the schema.
#
#   BULKHEAD_BIN             binary to run (default: the debug build)
#   SCHEMATHESIS_EXAMPLES    max examples per operation (default 50)
#   SCHEMATHESIS_SPEC        the document to check (default openapi.yaml; to compare versions)
#
# It ends with a tally of the answers by status class, per operation and in all, read from
# schemathesis' HAR report: how many generated requests reached the happy path (2xx).
set -euo pipefail
cd "$(dirname "$0")/../.."

spec=${SCHEMATHESIS_SPEC:-openapi.yaml}
[[ -f $spec ]] || { echo "schemathesis: $spec not present, nothing to check"; exit 0; }
if command -v schemathesis >/dev/null; then st=(schemathesis); else st=(python3 -m schemathesis.cli); fi

bin=${BULKHEAD_BIN:-$(swift build --show-bin-path)/bulkhead}
[[ -x $bin ]] || swift build --product bulkhead
work=$(mktemp -d /tmp/bulkhead-schemathesis.XXXXXX)
server=
cleanup() {
    if [[ -n $server ]] && kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        wait "$server" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cp -R Config "$work/config"
mkdir "$work/data"
"$bin" serve --host 127.0.0.1 --port "$port" --config "$work/config" --data "$work/data" >"$work/server.log" 2>&1 &
server=$!

# Readiness: poll /readyz for at most 60 s (the server recovers state before it is ready).
for _ in $(seq 1 120); do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null; then break; fi
    if ! kill -0 "$server" 2>/dev/null; then
        echo "schemathesis: server exited before it was ready"; cat "$work/server.log"; exit 1
    fi
    sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" || { echo "schemathesis: server not ready after 60 s"; tail -50 "$work/server.log"; exit 1; }

# Path parameters name the default segment and an account, so generated requests reach the
# routes' own validation instead of a 404 for a random segment id. Body fields that name
# configured things (the markets and collateral assets of `majors` in Config/segments.json,
# the bridges from `majors` in Config/bridges.json) draw mostly from those names: the
# document gives their grammar, the configuration their values, and a random market id would
# only ever test the 422 unknown_market branch.
cat >"$work/schemathesis.toml" <<'TOML'
[dictionaries.markets]
values = ["BTC-USD", "ETH-USD"]

[dictionaries.assets]
values = ["USDC", "ETH"]

[dictionaries.bridge-sources]
values = ["majors"]

[dictionaries.bridge-destinations]
values = ["stable", "alts"]

[dictionaries.bridge-assets]
values = ["USDC"]

[parameters]
"path.segment" = "majors"
"path.account" = "alice"
"body.market" = { dictionary = "markets", probability = 0.9 }
"body.asset" = { dictionary = "assets", probability = 0.9 }
"body.prices[*].market" = { dictionary = "markets", probability = 0.9 }

[[operations]]
include-path = "/v1/transfers"
include-method = "POST"

[operations.parameters]
"body.from" = { dictionary = "bridge-sources", probability = 0.9 }
"body.to" = { dictionary = "bridge-destinations", probability = 0.9 }
"body.asset" = { dictionary = "bridge-assets", probability = 0.9 }
TOML

status=0
# Excluded: the event stream (never ends by design; its auth is in the matrix test). The coverage
# phase is left out: schemathesis 4.32 raises an internal error in it on this schema. One worker:
# with two, Hypothesis' lambda-source cache once raised a KeyError across its threads (a
# "Runtime Error" of the tool, not of the server).
# Run from the temporary folder so schemathesis' own cache (.schemathesis/) stays out of the repo.
[[ $spec == /* ]] || spec=$(pwd)/$spec
tally=$(pwd)/scripts/checks/schemathesis_tally.py
cd "$work"
"${st[@]}" --config-file "$work/schemathesis.toml" run "$spec" \
    --url "http://127.0.0.1:$port" \
    -H "Authorization: Bearer dev-admin-key" \
    --checks not_a_server_error,response_schema_conformance \
    --exclude-path-regex '.*/events$' \
    --phases examples,fuzzing \
    --max-examples "${SCHEMATHESIS_EXAMPLES:-50}" \
    --seed 1 \
    --generation-database none \
    --request-timeout 10 \
    --workers 1 \
    --report har --report-har-path "$work/report.har" \
    --no-color || status=$?

[[ -f $work/report.har ]] && python3 "$tally" "$work/report.har"

if [[ $status -ne 0 ]]; then
    echo "schemathesis: failed (exit $status); last server log lines:"
    tail -30 "$work/server.log"
fi
exit $status
