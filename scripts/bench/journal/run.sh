#!/usr/bin/env bash
# Journal benchmark: group-commit throughput (batch sizes 1, 100, 1000) and recovery time.
#   scripts/bench/journal/run.sh [--records 1000000] [--seconds 3] [--dir /path/on/the/real/disk]
set -euo pipefail
cd "$(dirname "$0")"
swift build -c release --product JournalBench >&2
exec "$(swift build -c release --show-bin-path)/JournalBench" "$@"
