#!/usr/bin/env bash
# Usage: swift-tests.sh NAME [swift test arguments...]   (time limit: $STEP_LIMIT, default 900 s)
# Runs one group of the Swift tests in its own process with a time limit, keeping the whole
# log in artifacts/tests/NAME.log. On failure it ends with what a reader needs first: the
# failed expectations and any test that started but never finished.
#
# A run that reaches its limit (the tests of a group take well under a minute) has stopped
# making progress: the thread stacks of the test process go to artifacts/tests/NAME.stacks
# (gdb), the process is ended, and the group runs once more. A run that fails an expectation
# is never repeated.
#
# --ignore-lock: a test run only reads the build folder, so it need not wait for a build of
# another checkout that SwiftPM locks under the same name.
set -uo pipefail
name=$1
shift
limit=$(( ${STEP_LIMIT:-900} - 10 ))
attempt_limit=${BULKHEAD_TEST_ATTEMPT_SECONDS:-300}
mkdir -p artifacts/tests

summarize() {
    local log=$1
    echo "--- $name: failed expectations"
    grep -E '✘ Test .* recorded an issue' "$log" | head -40
    echo "--- $name: tests started and never finished"
    grep -oE '◇ Test [^ ]+\(' "$log" | sed 's/^◇ Test //' | sort -u > "$log.started"
    grep -oE '[✔✘] Test [^ ]+\(' "$log" | sed -E 's/^[✔✘] Test //' | sort -u > "$log.ended"
    comm -23 "$log.started" "$log.ended" | sed 's/($/()/' | head -40
    rm -f "$log.started" "$log.ended"
}

# The test process runs in a process group of its own (swift test starts it so), which the
# time limit does not reach: find it by name and working folder to dump and end it.
stuck_test_processes() {
    local pid
    for pid in $(pgrep -f 'PackageTests\.xctest'); do
        [[ "$(readlink "/proc/$pid/cwd" 2>/dev/null)" == "$PWD" ]] && echo "$pid"
    done
}

started=$(date +%s)
for attempt in 1 2; do
    left=$(( limit - ($(date +%s) - started) ))
    this=$(( attempt_limit < left ? attempt_limit : left ))
    [[ $this -lt 30 ]] && { echo "--- $name: no time left for attempt $attempt"; exit 124; }
    log=artifacts/tests/$name.log
    [[ $attempt -gt 1 ]] && log=artifacts/tests/$name.attempt$attempt.log
    timeout --kill-after=10 "$this" swift test --skip-build --ignore-lock "$@" 0</dev/null 2>&1 | tee "$log"
    status=${PIPESTATUS[0]}
    [[ $status -eq 0 ]] && { [[ $attempt -gt 1 ]] && echo "--- $name: passed on attempt $attempt (attempt 1 stopped making progress; stacks in artifacts/tests/$name.stacks)"; exit 0; }
    echo
    if [[ $status -ne 124 && $status -ne 137 ]]; then
        summarize "$log"
        exit "$status"
    fi
    echo "--- $name: attempt $attempt stopped after ${this}s without finishing"
    summarize "$log"
    for pid in $(stuck_test_processes); do
        if command -v gdb >/dev/null; then
            timeout 120 gdb -p "$pid" -batch -ex "thread apply all bt 40" >> "artifacts/tests/$name.stacks" 2>&1 || true
        fi
        kill -9 "$pid" 2>/dev/null || true
    done
done
exit 124
