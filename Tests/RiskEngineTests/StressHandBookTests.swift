import Testing
@testable import RiskEngine

/// RISK.md "Stress and contagion" on a book small enough to compute every figure by hand.
///
/// majors (fund 100, ETH-USD 100): alice 1000 USDC, long 50 ETH; bob 2000 USDC; carol 930 USDC, long 10 ETH.
/// alts (fund 50, ETH-USD 100, DOGE-USD 1): dave 500 USDC, short 20 ETH; erin 200 USDC, long 1000 DOGE.
/// stable (fund 1000, BTC-USD 1000): frank 500 USDC, long 1 BTC; bob 300 USDC.
/// Scenario: ETH-USD −43% (to 57) wherever it is listed.
@Suite struct StressHandBookTests {
    static func book() throws -> [Segment] {
        var majors = try Segment(spec: stressSpec("majors", markets: ["ETH-USD"], insuranceFund: "100"))
        majors.price("ETH-USD", "100", at: 0)
        try majors.deposit("alice", "1000"); try majors.deposit("bob", "2000"); try majors.deposit("carol", "930")
        try majors.fill("alice", "ETH-USD", "50", "100", at: 1)
        try majors.fill("carol", "ETH-USD", "10", "100", at: 1)

        var alts = try Segment(spec: stressSpec("alts", markets: ["ETH-USD", "DOGE-USD"], insuranceFund: "50"))
        alts.price("ETH-USD", "100", at: 0); alts.price("DOGE-USD", "1", at: 0)
        try alts.deposit("dave", "500"); try alts.deposit("erin", "200")
        try alts.fill("dave", "ETH-USD", "-20", "100", at: 1)
        try alts.fill("erin", "DOGE-USD", "1000", "1", at: 1)

        var stable = try Segment(spec: stressSpec("stable", markets: ["BTC-USD"], insuranceFund: "1000"))
        stable.price("BTC-USD", "1000", at: 0)
        try stable.deposit("frank", "500"); try stable.deposit("bob", "300")
        try stable.fill("frank", "BTC-USD", "1", "1000", at: 1)
        return [stable, majors, alts]  // any order: rows come out by segment id
    }

    static let ethCrash = StressScenario(shocks: [StressShock(market: "ETH-USD", change: a("-0.43"))])

    /// Segmented. majors: alice E = 1000 + 50·(57 − 100) = −1150 < MM → her long closes in one
    /// step (notional 2850 < minNotional) at 57; no position left, E = −1150 → bankrupt: the
    /// fund (100) pays 1150 → −1050 = bad debt, socialized over positive equity pro rata:
    /// bob 2000, carol 930 − 430 = 500 → bob 1050·2000/2500 = 840, carol 210. The fund ends at
    /// 0 (used 100) and majors goes isolated. Contagion: bob holds no ETH → 840; carol holds
    /// ETH (not contagion). Unaffected: none (alice liquidated, bob and carol lost).
    /// alts: dave's short gains 860, erin holds DOGE: no step, both unaffected, fund 50.
    /// stable: not shocked; frank and bob unaffected, fund 1000, contagion exactly 0.
    @Test func segmentedFiguresByHand() throws {
        let report = try StressRunner.run(book: try Self.book(), scenario: Self.ethCrash)
        #expect(report.segmented.rows.map(\.segment) == ["alts", "majors", "stable"])
        let rows = report.segmented.rows
        HandFigures(fundAfter: "50", unaffected: 2).check(rows[0], "alts")
        HandFigures(liquidated: 1, steps: 1, bankrupt: 1, badDebt: "1050", fundUsed: "100", fundAfter: "0",
                    socialized: "1050", contagion: "840", unaffected: 0, mode: .isolated).check(rows[1], "majors")
        HandFigures(fundAfter: "1000", unaffected: 2).check(rows[2], "stable")
        HandFigures(liquidated: 1, steps: 1, bankrupt: 1, badDebt: "1050", fundUsed: "100", fundAfter: "1050",
                    socialized: "1050", contagion: "840", unaffected: 4, mode: .isolated).check(report.segmented.total, "total")
        #expect(report.segmentAccounts == 7 && report.positions == 5)
    }

    /// Monolithic twin: one fund of 100 + 50 + 1000 = 1150; bob is one account (2000 + 300).
    /// alice's bankruptcy (−1150) is paid by the pooled fund exactly: fund 0, no bad debt,
    /// nothing socialized, mode stays normal, contagion 0 (bob, erin, frank lose nothing).
    /// Unaffected: bob, dave (gained), erin, frank = 4. By source: alice's step is in majors'
    /// market (fund used 1150 there); bob's home is majors (2000 > 300), dave and erin alts, frank stable.
    @Test func monolithicFiguresByHand() throws {
        let report = try StressRunner.run(book: try Self.book(), scenario: Self.ethCrash)
        let mono = try #require(report.monolithic)
        HandFigures(liquidated: 1, steps: 1, bankrupt: 1, fundUsed: "1150", fundAfter: "0", unaffected: 4).check(mono.total, "monolithic")
        #expect(mono.rows.map(\.segment) == ["alts", "majors", "stable"])
        HandFigures(fundAfter: "0", unaffected: 2).check(mono.rows[0], "mono alts")
        HandFigures(liquidated: 1, steps: 1, bankrupt: 1, fundUsed: "1150", fundAfter: "0", unaffected: 1).check(mono.rows[1], "mono majors")
        HandFigures(fundAfter: "0", unaffected: 1).check(mono.rows[2], "mono stable")
        #expect(report.accountIds == 6)
    }

    /// A shock confined to one segment moves nothing elsewhere: every other row is exactly the
    /// untouched figures, contagion 0, all accounts unaffected.
    @Test func contagionIsZeroOutsideTheShockedSegment() throws {
        let scenario = StressScenario(shocks: [StressShock(segment: "majors", market: "ETH-USD", change: a("-0.43"))])
        let report = try StressRunner.run(book: try Self.book(), scenario: scenario)
        for row in report.segmented.rows where row.segment != "majors" {
            #expect(row.contagionLoss == .zero)
            #expect(row.liquidationSteps == 0 && row.lossSocialized == .zero && row.modeAfter == .normal)
        }
        #expect(report.segmented.rows[0].accountsUnaffected == 2 && report.segmented.rows[2].accountsUnaffected == 2)
        #expect(report.segmented.total.contagionLoss == a("840"))
    }

    /// The live book is never touched: the hash before equals the hash after and equals the
    /// book's own hash taken independently.
    @Test func liveStateHashUnchanged() throws {
        let book = try Self.book()
        let hashes = book.map(\.stateHash)
        let report = try StressRunner.run(book: book, scenario: Self.ethCrash)
        #expect(report.stateHashBefore == report.stateHashAfter)
        #expect(report.stateHashBefore == StressHash.of(book))
        #expect(book.map(\.stateHash) == hashes)
        #expect(book.allSatisfy { $0.indexPrice(market: "ETH-USD").map { $0 == a("100") } ?? true })
    }

    /// A path: −20% then −25% from there (100 → 80 → 60). At 80 alice has E = 0 < MM 200:
    /// closed at 80, E = 0 exactly: no bankruptcy. At 60 carol (930 − 400 = 530) holds; so one
    /// liquidation, no bad debt, majors' fund unchanged (100): its position closed at the index.
    @Test func pathRunsStepByStep() throws {
        let scenario = StressScenario(path: [
            [StressShock(segment: "majors", market: "ETH-USD", change: a("-0.2"))],
            [StressShock(segment: "majors", market: "ETH-USD", change: a("-0.25"))],
        ])
        var seen: [Int] = []
        let report = try StressRunner.run(book: try Self.book(), scenario: scenario, progress: { done, _ in seen.append(done) })
        let majors = report.segmented.rows[1]
        #expect(majors.accountsLiquidated == 1 && majors.liquidationSteps == 1 && majors.accountsBankrupt == 0)
        #expect(majors.badDebt == .zero && majors.modeAfter == .normal)
        // The fund took over alice's 50 ETH at 80 and it fell to 60: −1000 on the fund's equity.
        #expect(majors.insuranceFundUsed == a("1000"))
        #expect(seen.last == 4)  // 2 steps × (majors + twin), then the final report
    }
}
