#!/usr/bin/env bash
# Usage: swift-tests.sh NAME [swift test arguments...]   (time limit: $STEP_LIMIT, default 900 s)
# Runs one group of the Swift tests in its own process with a hard time limit, keeping the
# whole log in artifacts/tests/NAME.log. On failure it ends with what a reader needs first:
# the failed expectations and any test that started but never finished (a hang shows here
# by name instead of as a silent CI time-out).
# --ignore-lock: a test run only reads the build folder, so it need not wait for a build of
# another checkout that SwiftPM locks under the same name.
set -uo pipefail
name=$1
shift
seconds=$(( ${STEP_LIMIT:-900} - 10 ))
mkdir -p artifacts/tests
log=artifacts/tests/$name.log
timeout --kill-after=15 "$seconds" swift test --skip-build --ignore-lock "$@" 0</dev/null 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [[ $status -ne 0 ]]; then
    echo
    [[ $status -eq 124 || $status -eq 137 ]] && echo "--- $name: stopped after ${seconds}s"
    echo "--- $name: failed expectations"
    grep -E '✘ Test .* recorded an issue' "$log" | head -40
    echo "--- $name: tests started and never finished"
    # A test's "started" line without a later "passed"/"failed" line for the same name.
    grep -oE '◇ Test [^ ]+\(' "$log" | sed 's/^◇ Test //' | sort -u > "$log.started"
    grep -oE '[✔✘] Test [^ ]+\(' "$log" | sed -E 's/^[✔✘] Test //' | sort -u > "$log.ended"
    comm -23 "$log.started" "$log.ended" | sed 's/($/()/' | head -40
    rm -f "$log.started" "$log.ended"
fi
exit "$status"
