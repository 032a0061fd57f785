#!/usr/bin/env bash
# Durable transfers between two segments (majors ⇄ stable, 1 USDC, each answered once the
# transfer is completed and fsync'd) next to durable POST /positions on the same server and
# run, at 64 connections: req/s, p50/p99 and the transfers/positions ratio (target ≥ 0.5).
# A transfer is three journal entries on two segments' actors (debit, credit, settlement)
# with one durable wait; a fill is one entry.
#
#   BULKHEAD_BIN, BENCH_SECONDS, BENCH_REPEAT, BENCH_ACCOUNTS, … as scripts/bench/service.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
out=$(mktemp /tmp/bulkhead-bench-transfers.XXXXXX)
trap 'rm -f "$out"' EXIT
BENCH_CASES="healthz positions transfers" BENCH_CONNECTIONS=${BENCH_CONNECTIONS:-64} \
    BENCH_ACCOUNTS=${BENCH_ACCOUNTS:-2000} scripts/bench/service.sh | tee "$out"
for connections in ${BENCH_CONNECTIONS:-64}; do
    awk -v c="c=$connections" '
        $1 == "positions" && $2 == c && $3 == "median" {p = $4}
        $1 == "transfers" && $2 == c && $3 == "median" {t = $4}
        END { if (p > 0) printf "ratio transfers/positions %s: %.3f (target ≥ 0.5)\n", c, t / p }' "$out"
done
