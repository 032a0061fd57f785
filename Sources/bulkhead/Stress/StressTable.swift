import RiskEngine

/// The report as a plain-text table for a terminal: one line per segment and per total,
/// segmented then monolithic, amounts in whole settlement units (exact figures: `--json`).
enum StressTable {
    static let columns = ["segment", "liquidated", "steps", "bankrupt", "badDebt", "fundUsed", "fundAfter", "socialized", "contagion", "unaffected", "modeAfter"]

    static func render(_ report: StressReport, title: String?) -> String {
        var lines: [[String]] = [columns]
        for row in report.segmented.rows { lines.append(cells(row, label: row.segment ?? "")) }
        lines.append(cells(report.segmented.total, label: "SEGMENTED TOTAL"))
        if let mono = report.monolithic {
            for row in mono.rows { lines.append(cells(row, label: "mono:" + (row.segment ?? ""))) }
            lines.append(cells(mono.total, label: "MONOLITHIC TOTAL"))
        }
        let widths = columns.indices.map { c in lines.map { $0[c].count }.max() ?? 0 }
        var out = title.map { "\($0)\n" } ?? ""
        for (i, line) in lines.enumerated() {
            out += line.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ") + "\n"
            if i == 0 { out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n" }
        }
        let ce = report.capitalEfficiency
        out += "collateral required: segmented \(whole(ce.segmentedCollateralRequired)), monolithic \(whole(ce.monolithicCollateralRequired))\n"
        out += "book: \(report.segmentAccounts) segment accounts, \(report.accountIds) account ids, \(report.positions) positions\n"
        out += "state hash before \(StressHash.hex(report.stateHashBefore)), after \(StressHash.hex(report.stateHashAfter))\n"
        return out
    }

    static func cells(_ f: StressFigures, label: String) -> [String] {
        [label, "\(f.accountsLiquidated)", "\(f.liquidationSteps)", "\(f.accountsBankrupt)", whole(f.badDebt), whole(f.insuranceFundUsed),
         whole(f.insuranceFundAfter), whole(f.lossSocialized), whole(f.contagionLoss), "\(f.accountsUnaffected)", f.modeAfter.rawValue]
    }

    /// Whole units with thousands separators (truncated toward zero).
    static func whole(_ amount: Amount) -> String {
        let units = amount.raw / Amount.unitRaw
        var digits = String(units.magnitude)
        var grouped = ""
        while digits.count > 3 {
            grouped = "," + digits.suffix(3) + grouped
            digits.removeLast(3)
        }
        return (units < 0 ? "-" : "") + digits + grouped
    }
}
