import Testing
@testable import RiskEngine

/// RISK.md "collateral required" on a cross-segment hedge, by hand.
@Suite struct StressCapitalTests {
    /// gina is long 10 ETH in majors and short 10 ETH in alts, both entered at 100; ETH is now
    /// 150. majors: IM = 10·150·0.1 = 150, uPnL = +500 → need −350. alts: IM 150, uPnL −500 →
    /// need 650. Segmented: max(0, −350) + max(0, 650) = 650. Monolithic: max(0, −350 + 650) = 300.
    @Test func crossSegmentHedgeCostsCapitalWhenSegmented() throws {
        var majors = try Segment(spec: stressSpec("majors", markets: ["ETH-USD"], insuranceFund: "100"))
        var alts = try Segment(spec: stressSpec("alts", markets: ["ETH-USD"], insuranceFund: "100"))
        for s in [0, 1] {
            var segment = s == 0 ? majors : alts
            segment.price("ETH-USD", "100", at: 0)
            try segment.deposit("gina", s == 0 ? "200" : "1000")
            try segment.fill("gina", "ETH-USD", s == 0 ? "10" : "-10", "100", at: 1)
            segment.price("ETH-USD", "150", at: 2)
            if s == 0 { majors = segment } else { alts = segment }
        }
        let efficiency = CapitalEfficiency(book: [majors, alts], at: t(2))
        #expect(efficiency.segmentedCollateralRequired == a("650"))
        #expect(efficiency.monolithicCollateralRequired == a("300"))

        // The report carries the same numbers, for the book before its scenario.
        let report = try StressRunner.run(
            book: [majors, alts], scenario: StressScenario(shocks: [StressShock(market: "ETH-USD", change: a("-0.5"))]))
        #expect(report.capitalEfficiency == efficiency)
    }

    /// Same book, ETH back to the entry: no PnL to net, both architectures need Σ IM = 200.
    @Test func noNettingWithoutPnL() throws {
        var majors = try Segment(spec: stressSpec("majors", markets: ["ETH-USD"], insuranceFund: "100"))
        var alts = try Segment(spec: stressSpec("alts", markets: ["ETH-USD"], insuranceFund: "100"))
        majors.price("ETH-USD", "100", at: 0); alts.price("ETH-USD", "100", at: 0)
        try majors.deposit("gina", "200"); try alts.deposit("gina", "200")
        try majors.fill("gina", "ETH-USD", "10", "100", at: 1); try alts.fill("gina", "ETH-USD", "-10", "100", at: 1)
        let efficiency = CapitalEfficiency(book: [majors, alts], at: t(1))
        #expect(efficiency.segmentedCollateralRequired == a("200") && efficiency.monolithicCollateralRequired == a("200"))
    }
}
