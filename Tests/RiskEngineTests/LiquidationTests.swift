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

    /// The retained history travels in the snapshot (a restart from a snapshot keeps
    /// `GET …/liquidations`), while the state hash covers the state alone.
    @Test func historySurvivesSnapshotRestore() throws {
        var s = makeSegment(makeSpec(insuranceFund: "1000000"))
        try s.deposit("carol", "1000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        let out = s.price("X", "80", at: 2)
        #expect(out.liquidations.count > 1)
        let restored = try Segment(snapshot: s.snapshot())
        #expect(restored.liquidations(after: 0, limit: 1000) == out.liquidations)
        #expect(restored.liquidations(after: 1, limit: 1) == [out.liquidations[1]])
        #expect(restored.stateHash == s.stateHash)
        #expect(restored.snapshot() == s.snapshot())
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
        // All of it was absorbed: nothing outstanding, the cumulative figures say what happened.
        #expect(view.badDebt == .zero && view.insuranceFund == .zero && view.mode == .isolated)
        #expect(view.badDebtTotal == a("1000") && view.socializedLossTotal == a("1000"))
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

@Suite struct LiquidationMoreTests {
    /// Short: deposit 1000, short 100 X at 100, index 107.5: uPnL = −750, E = 250,
    /// MM = 100·107.5·0.03 = 322.5; δ = (322.5·1.02 − 250) / (107.5·0.0206) = 78.95 / 2.2145
    /// = 35.65… > maxPortion·100 = 25 → 25. Bankruptcy price = 107.5 − 250/(−100) = 110.
    /// Penalty = 0.01·25·107.5 = 26.875. The fund takes the short at 107.5.
    @Test func shortStepIsCappedByMaxPortion() throws {
        var s = makeSegment()
        try s.deposit("bob", "1000")
        s.price("X", "100", at: 0)
        try s.fill("bob", "X", "-100", "100", at: 1)
        let d = try #require(s.price("X", "107.5", at: 2).liquidations.first)
        #expect(d.sizeClosed == a("25") && d.remainingSize == a("-75"))
        #expect(d.bankruptcyPrice == a("110") && d.penalty == a("26.875"))
        #expect(d.reason == "equity 250 < maintenance margin 322.5")
    }

    /// Bankruptcy with other collateral: frank has 100 USDC + 1 ETH (0.9·1000 = 900) and is long
    /// 100 X at 100. X → 80: realized −2000, E = −1000. His ETH goes to the fund at 900 (credited
    /// to his settlement), the fund pays the remaining 1000: fund equity 10000 → 9000.
    @Test func bankruptcySeizesOtherCollateral() throws {
        var s = makeSegment(makeSpec(insuranceFund: "10000"))
        s.price("ETH-USD", "1000", at: 0)
        s.price("X", "100", at: 0)
        try s.deposit("frank", "100")
        try s.deposit("frank", "1", asset: "ETH")
        try s.fill("frank", "X", "100", "100", at: 1)
        let out = s.price("X", "80", at: 2)
        let last = try #require(out.liquidations.last)
        #expect(last.remainingSize == .zero && last.badDebt == .zero)
        #expect(last.insuranceFundDelta == a("-1000"))
        let frank = s.summary("frank")
        #expect(frank.equity == .zero && frank.balances == [AssetBalance(asset: "USDC", balance: .zero)])
        #expect(s.view().insuranceFund == a("9000"))
        #expect(s.view().mode == .normal)
    }

    /// Decisions kept in memory are bounded; the sequence keeps counting.
    @Test func retentionBoundsTheLog() throws {
        var s = makeSegment(makeSpec(insuranceFund: "1000000"))
        s.liquidationRetention = 2
        try s.deposit("carol", "1000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        let out = s.price("X", "80", at: 2)
        #expect(out.liquidations.count > 4)
        let kept = s.liquidations(after: 0, limit: 100)
        #expect(kept.count == 2 && kept.last?.sequence == UInt64(out.liquidations.count))
        #expect(s.view().liquidationCount == UInt64(out.liquidations.count))
    }

    /// The engine names the oldest decision it kept, so a reader can tell a client that
    /// `after` is older than the retained history (instead of silently skipping decisions).
    @Test func oldestRetainedIsReported() throws {
        var s = makeSegment(makeSpec(insuranceFund: "1000000"))
        #expect(s.oldestRetainedLiquidation == nil && !s.liquidationHistoryTruncated(after: 0))
        s.liquidationRetention = 2
        try s.deposit("carol", "1000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        let count = UInt64(s.price("X", "80", at: 2).liquidations.count)
        #expect(count > 4)
        #expect(s.oldestRetainedLiquidation == count - 1)
        #expect(s.liquidationHistoryTruncated(after: 0))
        #expect(s.liquidationHistoryTruncated(after: count - 3))
        #expect(!s.liquidationHistoryTruncated(after: count - 2))
        #expect(!s.liquidationHistoryTruncated(after: count))
        // Survives a snapshot round trip.
        let restored = try Segment(snapshot: s.snapshot())
        #expect(restored.oldestRetainedLiquidation == count - 1)
        // Nothing kept at all: every earlier `after` is truncated.
        var t2 = makeSegment(makeSpec(insuranceFund: "1000000"))
        t2.liquidationRetention = 0
        try t2.deposit("carol", "1000")
        t2.price("X", "100", at: 0)
        try t2.fill("carol", "X", "100", "100", at: 1)
        let n = UInt64(t2.price("X", "80", at: 2).liquidations.count)
        #expect(t2.oldestRetainedLiquidation == nil)
        #expect(t2.liquidationHistoryTruncated(after: 0) && !t2.liquidationHistoryTruncated(after: n))
    }
}

@Suite struct StressTests {
    /// A −20% shock on X (beyond maxJump for the oracle) liquidates bob on a copy only.
    @Test func shockRunsOnACopy() throws {
        var s = makeSegment()
        try s.deposit("bob", "1000")
        s.price("X", "100", at: 0)
        try s.fill("bob", "X", "100", "100", at: 1)
        let before = s.stateHash
        var copy = s
        let decisions = try copy.applyShock(prices: ["X": a("80")], arrival: t(2))
        #expect(decisions.first?.account == "bob")
        #expect(s.stateHash == before)
        #expect(copy.indexPrice(market: "X") == a("80"))
        #expect(throws: EngineError.unknownMarket("NOPE")) { try copy.applyShock(prices: ["NOPE": a("1")], arrival: t(3)) }
    }
}

@Suite struct PenaltyCapTests {
    /// Penalty = min(p·δ·P, max(E, 0)): bob (1000, long 100 X at 100) at 90.2 has
    /// E = 1000 − 980 = 20, MM = 270.6; δ = (270.6·1.02 − 20) / (90.2·0.0206) = 137.8 → cap 25;
    /// p·δ·P = 0.01·25·90.2 = 22.55 > E = 20 → the penalty is 20.
    @Test func penaltyIsCappedByEquity() throws {
        var s = makeSegment()
        try s.deposit("bob", "1000")
        s.price("X", "100", at: 0)
        try s.fill("bob", "X", "100", "100", at: 1)
        let out = s.price("X", "90.2", at: 2)
        let first = try #require(out.liquidations.first)
        #expect(first.sizeClosed == a("-25") && first.equityBefore == a("20") && first.penalty == a("20"))
        // Later steps find E = 0: no more penalty.
        #expect(out.liquidations.dropFirst().allSatisfy { $0.penalty == .zero })
    }
}
