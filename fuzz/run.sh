#!/usr/bin/env bash
# Builds the HTTPWire request parser with libFuzzer + AddressSanitizer and fuzzes it for a
# bounded time. Exits non-zero (and leaves the crashing input in fuzz/artifacts/) on a
# crash, a sanitizer report or a violated property (see HTTPParserFuzz.swift).
#
#   fuzz/run.sh            # 60 s
#   FUZZ_SECONDS=600 fuzz/run.sh
#   fuzz/run.sh fuzz/artifacts/crash-…   # replay one input
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
out=.build/fuzz
mkdir -p "$out" fuzz/artifacts "$out/corpus"

swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g \
    -module-name HTTPWireFuzz \
    Sources/HTTPWire/*.swift fuzz/HTTPParserFuzz.swift \
    -o "$out/http-parser-fuzz"

if [[ $# -gt 0 ]]; then
    exec "$out/http-parser-fuzz" "$@"
fi

# The working corpus lives under .build (not committed); seeds are committed.
exec "$out/http-parser-fuzz" "$out/corpus" fuzz/seeds \
    -dict=fuzz/http.dict -max_len=1024 -max_total_time="$seconds" -timeout=10 \
    -print_final_stats=1 -artifact_prefix=fuzz/artifacts/
