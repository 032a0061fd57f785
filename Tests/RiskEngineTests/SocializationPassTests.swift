import Testing
@testable import RiskEngine

/// Bad debt is socialized once per liquidation pass; each bankruptcy's decision keeps its share.
@Suite struct SocializationPassTests {
    /// carol (1000, long 100 X) and frank (500, long 50 X) both go bankrupt at 80 in one tick:
    /// the empty fund ends the pass at −1000 − 500 = −1500, socialized once over dave (5000)
    /// and erin (3000): 937.5 and 562.5. carol's decision shows 1000 of it, frank's 500, and
    /// each decision's fund delta nets to 0, in the answer and in the kept history alike.
    @Test func twoBankruptciesOneSocialization() throws {
        var s = makeSegment(makeSpec(insuranceFund: "0"))
        try s.deposit("carol", "1000"); try s.deposit("frank", "500")
        try s.deposit("dave", "5000"); try s.deposit("erin", "3000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        try s.fill("frank", "X", "50", "100", at: 1)
        let out = s.price("X", "80", at: 2)
        let carol = try #require(out.liquidations.last { $0.account == "carol" })
        let frank = try #require(out.liquidations.last { $0.account == "frank" })
        #expect(carol.badDebt == a("1000") && carol.socializedLoss == a("1000") && carol.insuranceFundDelta == .zero)
        #expect(frank.badDebt == a("500") && frank.socializedLoss == a("500") && frank.insuranceFundDelta == .zero)
        #expect(s.summary("dave").equity == a("4062.5") && s.summary("erin").equity == a("2437.5"))
        // All of it was absorbed: nothing outstanding, 1,500 cumulative (RISK.md step 4).
        #expect(s.view().insuranceFund == .zero && s.view().badDebt == .zero)
        #expect(s.view().badDebtTotal == a("1500") && s.view().socializedLossTotal == a("1500"))
        let kept = s.liquidations(after: 0, limit: 1000)
        #expect(kept.contains(carol) && kept.contains(frank))
        #expect(s.pendingShortfall == 0)
    }
}
