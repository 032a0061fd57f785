#!/usr/bin/env python3
"""The seed's table in numbers (docs/segmentation.md) from `bulkhead stress --json` output.

usage: bulkhead stress --book generated:100000:6:SEED --scenario Config/scenarios/*.json --json \\
         | python3 scripts/stress/segmentation_table.py

Reads the JSON array (one entry per scenario, each run with "compare": "monolithic") and
prints one Markdown table per scenario plus the capital-efficiency line. stdlib only;
amounts stay decimal strings (never floats).
"""
import json
import sys
from decimal import Decimal as D

CALM = {"normal", "elevated"}  # "fault tolerance": a segment still at most elevated


def money(text):
    value = D(text)
    return f"{value:,.2f}"


def main():
    entries = json.load(sys.stdin)
    if isinstance(entries, dict):
        entries = [{"scenario": "scenario", "report": entries}]
    first = entries[0]["report"]
    book = first["book"]
    ce = first["capitalEfficiency"]
    seg_ce, mono_ce = D(ce["segmentedCollateralRequired"]), D(ce["monolithicCollateralRequired"])
    segments = len(first["segmented"]["segments"])
    print(f"Book: {book['accountIds']:,} account ids holding {book['segmentAccounts']:,} segment accounts "
          f"and {book['positions']:,} positions in {segments} segments.\n")
    print("**Capital efficiency** (collateral required for every account to hold its positions at E ≥ IM, "
          "before any scenario): segmented "
          f"{money(seg_ce)}, monolithic {money(mono_ce)} — segmentation needs "
          f"{(seg_ce / mono_ce - 1) * 100:.2f}% more collateral.\n")
    for entry in entries:
        report = entry["report"]
        mono = report.get("monolithic")
        if mono is None:
            raise SystemExit(f"{entry['scenario']}: run with \"compare\": \"monolithic\"")
        s, m = report["segmented"]["total"], mono["total"]
        calm_s = sum(1 for row in report["segmented"]["segments"] if row["modeAfter"] in CALM)
        calm_m = sum(1 for row in mono["bySourceSegment"] if row["modeAfter"] in CALM)
        affected_s = book["segmentAccounts"] - s["accountsUnaffected"]
        affected_m = book["accountIds"] - m["accountsUnaffected"]
        print(f"#### {entry['scenario']}\n")
        print("| | segmented | monolithic |")
        print("|---|---:|---:|")
        rows = [
            ("systemic risk: contagion loss", money(s["contagionLoss"]), money(m["contagionLoss"])),
            ("systemic risk: bad debt", money(s["badDebt"]), money(m["badDebt"])),
            ("systemic risk: loss socialized", money(s["lossSocialized"]), money(m["lossSocialized"])),
            ("insurance fund used", money(s["insuranceFundUsed"]), money(m["insuranceFundUsed"])),
            ("systemic risk: accounts affected",
             f"{affected_s:,} of {book['segmentAccounts']:,} segment accounts", f"{affected_m:,} of {book['accountIds']:,} accounts"),
            ("accounts liquidated / bankrupt",
             f"{s['accountsLiquidated']:,} / {s['accountsBankrupt']:,}", f"{m['accountsLiquidated']:,} / {m['accountsBankrupt']:,}"),
            ("fault tolerance: accounts unaffected", f"{s['accountsUnaffected']:,}", f"{m['accountsUnaffected']:,}"),
            ("fault tolerance: segments still ≤ elevated", f"{calm_s} of {segments}", f"{calm_m} of {segments} (one pool: {m['modeAfter']})"),
        ]
        for name, a, b in rows:
            print(f"| {name} | {a} | {b} |")
        print()
    print(f"State hash before = after in every run: "
          f"{all(e['report']['stateHashBefore'] == e['report']['stateHashAfter'] for e in entries)}.")


if __name__ == "__main__":
    main()
