#!/usr/bin/env bash
# Crash test for "acknowledged means durable" (DESIGN.md): starts the real `bulkhead serve`
# (port 0, temporary data dir), drives concurrent deposits with unique Idempotency-Keys,
# kill -9's it at random moments, restarts and checks that every acknowledged deposit is
# there and every unacknowledged one is applied at most once. Exit 0 = no loss.
#
#   scripts/checks/crash.sh [--cycles 20] [--concurrency 16] [--seed N] [--workdir DIR]
#                         [--snapshot-interval N [--prune]]   (exercise snapshot + tail recovery)
#                         [--transfers N]   (N clients moving USDC between segments meanwhile)
#
# Environment:
#   BULKHEAD_BIN     server binary (default: build it with `swift build --product bulkhead`)
#   BULKHEAD_KEY     an admin or trading API key valid for the segment. When unset, a key is
#                    generated and a temporary config folder (a copy of Config/ with its own
#                    keys.json) is used.
#   CRASH_CONFIG     config folder (default: Config/ of the repo)
#   CRASH_SEGMENT    segment to deposit into (default: majors; USDC must be its collateral)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
config="${CRASH_CONFIG:-$root/Config}"
segment="${CRASH_SEGMENT:-majors}"

command -v python3 >/dev/null || { echo "crash-test: python3 is required" >&2; exit 2; }

binary="${BULKHEAD_BIN:-}"
if [[ -z "$binary" ]]; then
    (cd "$root" && swift build --product bulkhead >&2)
    binary="$(cd "$root" && swift build --show-bin-path)/bulkhead"
fi
[[ -x "$binary" ]] || { echo "crash-test: no server binary at $binary" >&2; exit 2; }

scratch="$(mktemp -d "${TMPDIR:-/tmp}/bulkhead-crash-config.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
key="${BULKHEAD_KEY:-}"
if [[ -z "$key" ]]; then
    key="crash-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    cp -R "$config/." "$scratch/"
    digest="$(printf '%s' "$key" | sha256sum | cut -d' ' -f1)"
    printf '{"keys": [{"id": "crash-test", "sha256": "%s", "role": "admin", "segments": ["*"]}]}\n' "$digest" > "$scratch/keys.json"
    config="$scratch"
fi

status=0
python3 "$root/scripts/checks/crash/crash_test.py" --binary "$binary" --config "$config" --key "$key" \
    --segment "$segment" "$@" || status=$?
exit "$status"
