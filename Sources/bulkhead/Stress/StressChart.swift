import RiskEngine

/// An SVG chart of segmented vs monolithic, one row per scenario, one column per figure the
/// seed's table compares: systemic risk (contagion loss, bad debt, accounts affected),
/// capital efficiency (collateral required) and fault tolerance (segments still at most
/// `elevated`). Each column is scaled to its own largest value; the numbers are printed.
enum StressChart {
    struct Entry {
        var name: String
        var report: StressReport
    }

    struct Metric: Sendable {
        var title: String
        /// Bar length source: whole units, per-mille shares or counts (integers: no money in Double).
        var value: @Sendable (StressReport, Bool) -> Int128
        var label: @Sendable (StressReport, Bool) -> String
    }

    static let segmentedColor = "#1f77b4", monolithicColor = "#ff7f0e"

    static func money(_ amount: Amount) -> Int128 { amount.raw / Amount.unitRaw }

    static let metrics: [Metric] = [
        Metric(title: "Contagion loss",
               value: { r, mono in money(figures(r, mono).contagionLoss) },
               label: { r, mono in StressTable.whole(figures(r, mono).contagionLoss) }),
        Metric(title: "Bad debt",
               value: { r, mono in money(figures(r, mono).badDebt) },
               label: { r, mono in StressTable.whole(figures(r, mono).badDebt) }),
        Metric(title: "Accounts affected",
               value: { r, mono in affectedShare(r, mono) },
               label: { r, mono in percent(affectedShare(r, mono)) }),
        Metric(title: "Collateral required",
               value: { r, mono in money(mono ? r.capitalEfficiency.monolithicCollateralRequired : r.capitalEfficiency.segmentedCollateralRequired) },
               label: { r, mono in StressTable.whole(mono ? r.capitalEfficiency.monolithicCollateralRequired : r.capitalEfficiency.segmentedCollateralRequired) }),
        Metric(title: "Segments ≤ elevated",
               value: { r, mono in Int128(segmentsUp(r, mono)) },
               label: { r, mono in "\(segmentsUp(r, mono)) of \(r.segmented.rows.count)" }),
    ]

    static func figures(_ r: StressReport, _ mono: Bool) -> StressFigures { mono ? (r.monolithic?.total ?? StressFigures()) : r.segmented.total }

    /// Share of accounts (segment accounts, or account ids for the twin) that were affected.
    /// Per-mille of accounts (segment accounts, or account ids for the twin) that were affected.
    static func affectedShare(_ r: StressReport, _ mono: Bool) -> Int128 {
        let count = mono ? r.accountIds : r.segmentAccounts
        guard count > 0 else { return 0 }
        return Int128(count - figures(r, mono).accountsUnaffected) * 1000 / Int128(count)
    }

    /// Segments whose mode after is at most `elevated` (the twin is one pool: all or none).
    static func segmentsUp(_ r: StressReport, _ mono: Bool) -> Int {
        if mono { return (r.monolithic?.total.modeAfter ?? .normal) <= .elevated ? r.segmented.rows.count : 0 }
        return r.segmented.rows.filter { $0.modeAfter <= .elevated }.count
    }

    static func percent(_ perMille: Int128) -> String { "\(perMille / 10).\(perMille % 10)%" }

    static func render(_ entries: [Entry]) -> String {
        let labelWidth = 250.0, cellWidth = 190.0, rowHeight = 54.0, top = 64.0, barHeight = 16.0
        let width = labelWidth + cellWidth * Double(metrics.count) + 20
        let height = top + rowHeight * Double(entries.count) + 40
        var svg = """
        <svg xmlns="http://www.w3.org/2000/svg" width="\(Int(width))" height="\(Int(height))" font-family="sans-serif" font-size="11">
        <rect width="100%" height="100%" fill="white"/>
        <text x="10" y="20" font-size="14" font-weight="bold">Segmented vs monolithic, same book, same scenarios</text>
        <rect x="10" y="32" width="12" height="12" fill="\(segmentedColor)"/><text x="26" y="42">segmented</text>
        <rect x="100" y="32" width="12" height="12" fill="\(monolithicColor)"/><text x="116" y="42">monolithic</text>

        """
        for (c, metric) in metrics.enumerated() {
            let x = labelWidth + cellWidth * Double(c)
            svg += "<text x=\"\(x)\" y=\"\(top - 6)\" font-weight=\"bold\">\(escape(metric.title))</text>\n"
            let largest = entries.flatMap { [metric.value($0.report, false), metric.value($0.report, true)] }.max() ?? 0
            for (r, entry) in entries.enumerated() {
                let y = top + rowHeight * Double(r)
                for (k, mono) in [false, true].enumerated() {
                    let value = metric.value(entry.report, mono)
                    let length = largest > 0 ? max(Double(value * 1200 / largest) / 10, value > 0 ? 1 : 0) : 0  // pixels
                    let by = y + 6 + Double(k) * (barHeight + 4)
                    svg += "<rect x=\"\(x)\" y=\"\(by)\" width=\"\(format(length))\" height=\"\(barHeight)\" fill=\"\(mono ? monolithicColor : segmentedColor)\"/>"
                    svg += "<text x=\"\(format(x + length + 4))\" y=\"\(format(by + 12))\">\(escape(metric.label(entry.report, mono)))</text>\n"
                }
            }
        }
        for (r, entry) in entries.enumerated() {
            let y = top + rowHeight * Double(r)
            svg += "<text x=\"10\" y=\"\(format(y + 26))\">\(escape(String(entry.name.prefix(40))))</text>\n"
            svg += "<line x1=\"10\" y1=\"\(format(y + rowHeight - 4))\" x2=\"\(Int(width) - 10)\" y2=\"\(format(y + rowHeight - 4))\" stroke=\"#ddd\"/>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    static func format(_ x: Double) -> String {
        let tenths = Int((x * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(ch)
            }
        }
        return out
    }
}
