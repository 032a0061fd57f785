import Testing
@testable import RiskEngine

@Suite struct LiquidationTests {
    /// bob: deposit 1000, long 100 X at 100. Index 92.5:
    /// uPnL = 100·(92.5 − 100) = −750, E = 250, MM = 100·92.5·0.03 = 277.5 → liquidatable.
    /// δ = (MM·(1+b) − E) / (P·(MMF·(1+b) − p)) = (277.5·1.02 − 250) / (92.5·(0.0306 − 0.01))
    ///   = 33.05 / 1.9055 = 17.344528995… → up → 17.34452900 (< maxPortion 25, notional 9250 ≥ 1000)
    /// realize (92.5 − 100)·17.344529 = −130.0839675 → settlement 869.9160325
    /// penalty = min(0.01·17.344529·92.5 = 16.043689325 → 16.04368932, E 250)
    /// bankruptcy price = 92.5 − 250/100 = 90
    @Test func stepNumbersByHand() throws {
        var s = makeSegment()
        try s.deposit("bob", "1000")
        s.price("X", "100", at: 0)
        try s.fill("bob", "X", "100", "100", at: 1)
        let out = s.price("X", "92.5", at: 2)
        let d = try #require(out.liquidations.first)
        #expect(d.sequence == 1 && d.id == "majors:1" && d.account == "bob" && d.market == "X")
        #expect(d.sizeClosed == a("-17.344529") && d.remainingSize == a("82.655471"))
        #expect(d.price == a("92.5") && d.bankruptcyPrice == a("90"))
        #expect(d.penalty == a("16.04368932") && d.insuranceFundDelta == a("16.04368932"))
        #expect(d.equityBefore == a("250") && d.maintenanceMarginBefore == a("277.5"))
        #expect(d.reason == "equity 250 < maintenance margin 277.5")
        #expect(d.badDebt == .zero && d.socializedLoss == .zero && d.timestamp == t(2))
        // After: E = 250 − 16.04368932 = 233.95631068; MM = 82.655471·92.5·0.03 = 229.368932025 → 229.36893203;
        // MM·1.02 = 233.9563106706 ≤ E: covered, one step is enough.
        #expect(out.liquidations.count == 1)
        let bob = s.summary("bob")
        #expect(bob.status == .healthy || bob.status == .atRisk)
        // The insurance fund holds the closed part at the index price.
        #expect(s.view().markets[2].openInterest == a("100"))
        #expect(s.liquidations(after: 0, limit: 10) == out.liquidations)
    }

    /// Positions below minNotional close whole; otherwise at most maxPortion·|q| per step.
    @Test func maxPortionAndMinNotional() throws {
        var s = makeSegment(makeSpec(insuranceFund: "1000000"))
        try s.deposit("carol", "1000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        let out = s.price("X", "80", at: 2)  // E = −1000: every step is capped at 25% until notional < 1000
        #expect(out.liquidations.first?.sizeClosed == a("-25"))
        #expect(out.liquidations[1].sizeClosed == a("-18.75"))
        let last = try #require(out.liquidations.last)
        #expect(last.remainingSize == .zero)
        #expect(last.price * 0 == 0)
        // The closing step was below minNotional: the whole rest went at once.
        let previousRemaining = out.liquidations[out.liquidations.count - 2].remainingSize
        #expect(try previousRemaining.times(a("80"), .up) < a("1000"))
        #expect(last.sizeClosed == previousRemaining.negated)
    }

    /// Bankruptcy and bad debt: carol ends at E = −1000 with no position; the fund (0) pays it,
    /// goes to −1000, and that bad debt is socialized pro rata over dave (5000) and erin (3000):
    /// 625 and 375. The segment becomes isolated.
    @Test func bankruptcyAndSocialization() throws {
        var s = makeSegment(makeSpec(insuranceFund: "0"))
        try s.deposit("carol", "1000")
        try s.deposit("dave", "5000")
        try s.deposit("erin", "3000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        let out = s.price("X", "80", at: 2)
        let last = try #require(out.liquidations.last)
        #expect(last.badDebt == a("1000") && last.socializedLoss == a("1000"))
        #expect(last.insuranceFundDelta == .zero)
        #expect(s.summary("carol").equity == .zero && s.summary("carol").positions.isEmpty)
        #expect(s.summary("dave").equity == a("4375"))
        #expect(s.summary("erin").equity == a("2625"))
        let view = s.view()
        #expect(view.badDebt == a("1000") && view.insuranceFund == .zero && view.mode == .isolated)
        #expect(out.mode == .isolated)
    }

    /// Pro-rata shares round down; the residual goes to the largest-equity account (ties by id).
    /// Loss 1000 over 1, 1, 1 → 333.33333333 each, residual 0.00000001 to "a" (tie, smallest id).
    @Test func socializationIsExact() throws {
        var s = makeSegment(makeSpec(insuranceFund: "0"))
        try s.deposit("carol", "1000")
        for id in ["a", "b", "c"] { try s.deposit(id, "1000") }
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        s.price("X", "80", at: 2)
        #expect(s.summary("a").equity == a("666.66666666"))
        #expect(s.summary("b").equity == a("666.66666667"))
        #expect(s.summary("c").equity == a("666.66666667"))
    }

    /// Liquidation needs the position's index no older than liquidationMaxAge (300 s): alice's
    /// ETH collateral collapses at t = 400 while X's index is from t = 0, so nothing happens
    /// until a fresh X price arrives. A halted segment still liquidates.
    @Test func liquidationNeedsAFreshIndex() throws {
        var s = makeSegment(makeSpec(maxJump: "0.99"))
        s.price("ETH-USD", "3000", at: 0)
        s.price("X", "100", at: 0)
        try s.deposit("alice", "2", asset: "ETH", at: 0)
        try s.fill("alice", "X", "100", "100", at: 1)
        s.setModeOverride(.halted, arrival: t(2))
        // 2·0.9·100 = 180 < MM 300
        #expect(s.price("ETH-USD", "100", at: 400).liquidations.isEmpty)
        #expect(s.summary("alice").status == .liquidatable)
        let out = s.price("X", "100", at: 401)
        #expect(out.liquidations.first?.account == "alice")
    }
}

extension Amount {
    static func * (lhs: Amount, rhs: Int) -> Amount { try! lhs.times(rhs) }
}
