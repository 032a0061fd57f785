import Testing
@testable import RiskEngine

@Suite struct FillTests {
    func funded(_ spec: SegmentSpec = makeSpec()) throws -> Segment {
        var s = makeSegment(spec)
        try s.deposit("alice", "10000")
        s.price("X", "100", at: 0)
        return s
    }

    /// Increase: (1·100 + 2·100.01) / 3 = 100.006666…; a long's entry rounds up and a short's
    /// down, so the rounded entry can only lower the holder's PnL, never create money:
    /// at index 100 the long's uPnL = 3·(100 − 100.00666667) = −0.02000001 (exact −0.02).
    @Test func weightedAverageEntryRoundsAgainstTheHolder() throws {
        var s = try funded()
        try s.fill("alice", "X", "1", "100", at: 1)
        try s.fill("alice", "X", "2", "100.01", at: 1)
        #expect(s.summary("alice").positions[0].entryPrice == a("100.00666667"))
        #expect(s.summary("alice").unrealizedPnl == a("-0.02000001"))
        try s.deposit("bob", "10000")
        try s.fill("bob", "X", "-1", "100", at: 1)
        try s.fill("bob", "X", "-2", "100.01", at: 1)
        #expect(s.summary("bob").positions[0].entryPrice == a("100.00666666"))
        // short uPnL = −3·(100 − 100.00666666) = 0.01999998 (exact 0.02)
        #expect(s.summary("bob").unrealizedPnl == a("0.01999998"))
    }

    /// Reduce: realize (price − entry)·closed = (110 − 100)·4 = 40 into settlement; entry stays.
    @Test func reducingRealizesPnl() throws {
        var s = try funded()
        try s.fill("alice", "X", "10", "100", at: 1)
        s.price("X", "110", at: 2)
        let out = try s.fill("alice", "X", "-4", "110", at: 3)
        #expect(out.decision == .accepted)
        #expect(out.account.balances[0].balance == a("10040"))
        #expect(out.account.positions[0].size == a("6") && out.account.positions[0].entryPrice == a("100"))
        // uPnL = 6·(110 − 100) = 60; equity = 10040 + 60 = 10100
        #expect(out.account.equity == a("10100"))
    }

    /// Flip: close 10 long at 90 (realize −100), then open 5 short at 90.
    @Test func flippingClosesThenOpensAtFillPrice() throws {
        var s = try funded()
        try s.fill("alice", "X", "10", "100", at: 1)
        s.price("X", "90", at: 2)
        let out = try s.fill("alice", "X", "-15", "90", at: 3)
        #expect(out.decision == .accepted)
        #expect(out.account.balances[0].balance == a("9900"))
        #expect(out.account.positions[0].size == a("-5") && out.account.positions[0].entryPrice == a("90"))
    }

    /// The fee leaves the account's settlement balance and goes to the insurance fund.
    @Test func feeGoesToInsurance() throws {
        var s = try funded()
        let out = try s.fill("alice", "X", "1", "100", fee: "3.2", at: 1)
        #expect(out.account.balances[0].balance == a("9996.8"))
        #expect(s.view().insuranceFund == a("100003.2"))
    }

    /// E ≥ IM after the fill: 10000 of equity carries IM = 0.05·N up to N = 200000 (2000 X at 100).
    @Test func insufficientMarginRejectsWithoutChange() throws {
        var s = try funded()
        let before = s.stateHash
        let out = try s.fill("alice", "X", "2000.00000001", "100", at: 1)
        guard case .rejected(.insufficientMargin, _) = out.decision else { Issue.record("\(out.decision)"); return }
        #expect(out.account.equity == a("10000") && out.account.positions.isEmpty)
        #expect(s.stateHash == before)
        #expect(try s.fill("alice", "X", "2000", "100", at: 1).decision == .accepted)
    }

    @Test func rejectionOrder() throws {
        // Halted blocks every fill, increasing or reducing.
        var s = try funded()
        try s.fill("alice", "X", "1", "100", at: 1)
        s.setModeOverride(.halted, arrival: t(2))
        #expect(try s.fill("alice", "X", "-1", "100", at: 3).decision.reason == .segmentHalted)
        // Reduce-only blocks increases but not reductions, and beats staleness.
        var r = try funded()
        try r.fill("alice", "X", "1", "100", at: 1)
        r.setModeOverride(.reduceOnly, arrival: t(2))
        #expect(try r.fill("alice", "X", "1", "100", at: 100).decision.reason == .reduceOnly)
        #expect(try r.fill("alice", "X", "-0.5", "100", at: 100).decision == .accepted)
        // Stale: index 31 s old > maxAge 30; a reducing fill is still fine.
        var st = try funded()
        try st.fill("alice", "X", "1", "100", at: 1)
        #expect(try st.fill("alice", "X", "1", "100", at: 31).decision.reason == .stalePrice)
        #expect(try st.fill("alice", "X", "-1", "100", at: 31).decision == .accepted)
        // No index at all.
        var none = try funded()
        #expect(try none.fill("alice", "BTC-USD", "1", "100", at: 1).decision.reason == .stalePrice)
        // OI cap: BTC-USD max 1000 contracts.
        var oi = try funded()
        try oi.deposit("whale", "100000000")
        oi.price("BTC-USD", "10", at: 1)
        #expect(try oi.fill("whale", "BTC-USD", "1000", "10", at: 1).decision == .accepted)
        #expect(try oi.fill("alice", "BTC-USD", "-1000.00000001", "10", at: 1).decision.reason == .openInterestCap)
        #expect(try oi.fill("alice", "BTC-USD", "-1000", "10", at: 1).decision == .accepted)
    }

    /// dYdX rule: an under-margined account may reduce if MM does not rise and E/MM does not fall.
    @Test func reducingFillWhenUnderMargined() throws {
        var s = try funded(makeSpec(maxJump: "0.5"))
        try s.fill("alice", "X", "2000", "100", at: 1)  // IM 10000 = E
        s.price("X", "99.8", at: 2)  // E = 10000 − 400 = 9600 < IM 9980, > MM 5988
        #expect(s.summary("alice").status == .atRisk)
        // Selling at the index keeps E, lowers MM: ratio rises → accepted although E < IM.
        #expect(try s.fill("alice", "X", "-100", "99.8", at: 3).decision == .accepted)
        // Selling far below the index loses equity: E/MM would fall → rejected.
        let bad = try s.fill("alice", "X", "-10", "50", at: 3)
        #expect(bad.decision.reason == .insufficientMargin)
    }

    @Test func checkMatchesApplyWithoutChangingState() throws {
        var s = try funded()
        let before = s.stateHash
        let fill = FillCommand(account: "alice", market: "X", size: a("3"), price: a("100.5"), fee: a("1"), arrival: t(1))
        let checked = try s.check(fill)
        #expect(s.stateHash == before)
        let applied = try s.apply(fill)
        #expect(checked == applied)
        // Unknown account: rejected with an empty summary and not created.
        let ghost = try s.check(FillCommand(account: "ghost", market: "X", size: a("1"), price: a("100"), arrival: t(1)))
        #expect(ghost.decision.reason == .insufficientMargin && ghost.account.equity == .zero && ghost.account.status == .healthy)
        _ = try s.apply(FillCommand(account: "ghost", market: "X", size: a("1"), price: a("100"), arrival: t(1)))
        #expect(s.marginSummary(account: "ghost") == nil)
    }

    /// With an insurance-fund floor, the check answers what apply would both when the fee
    /// lifts the fund over the floor (the mode leaves `isolated`) and when the fund is above it.
    @Test func checkMatchesApplyAroundTheFundFloor() throws {
        for (fund, floor) in [("100000", "50000"), ("100000", "100000.5"), ("100000", "100002")] {
            var s = try funded(makeSpec(insuranceFund: fund, insuranceFundFloor: a(floor)))
            let fill = FillCommand(account: "alice", market: "X", size: a("3"), price: a("100"), fee: a("1"), arrival: t(1))
            let before = s.stateHash
            let checked = try s.check(fill)
            #expect(s.stateHash == before)
            let modeBefore = s.view(at: t(1)).mode
            let applied = try s.apply(fill)
            #expect(checked == applied, "fund \(fund), floor \(floor)")
            if floor == "100000.5" { #expect(modeBefore == .isolated && s.view(at: t(1)).mode != .isolated) }
        }
    }

    @Test func invalidFillsThrow() throws {
        var s = try funded()
        let before = s.stateHash
        func code(_ size: String, _ price: String, fee: String = "0", market: String = "X", account: String = "alice") -> String? {
            do {
                _ = try s.apply(FillCommand(account: account, market: market, size: a(size), price: a(price), fee: a(fee), arrival: t(1)))
                return nil
            } catch { return error.code }
        }
        #expect(code("0", "100") == "invalid_size")
        #expect(code("1", "0") == "invalid_price")
        #expect(code("1", "-1") == "invalid_price")
        #expect(code("1", "100", fee: "-0.01") == "invalid_fee")
        #expect(code("1", "100", market: "NOPE") == "unknown_market")
        #expect(code("1", "100", account: "@insurance") == "invalid_account")
        #expect(code("1", "100", account: "") == "invalid_account")
        // Absurd sizes never trap: they are refused (here by the OI cap) or rejected as out of range.
        #expect(code("100000000000000000000000000", "100000000000000000000000000") == nil)
        #expect(throws: EngineError.outOfRange) {
            try s.check(FillCommand(account: "alice", market: "X", size: a("999999"), price: a("100000000000000000000000000"), arrival: t(1)))
        }
        #expect(s.stateHash == before)
    }
}

extension RiskDecision {
    var reason: RejectReason? {
        if case .rejected(let reason, _) = self { return reason }
        return nil
    }
}

@Suite struct CheckEqualsApplyTests {
    /// A reducing fill accepted under the dYdX rule can leave the account below MM: apply then
    /// liquidates, and check reports exactly the same outcome without changing anything.
    @Test func checkIncludesTriggeredLiquidations() throws {
        var s = makeSegment(makeSpec(maxJump: "0.5"))
        try s.deposit("alice", "10000")
        s.price("X", "100", at: 0)
        try s.fill("alice", "X", "2000", "100", at: 1)
        s.setModeOverride(.halted, arrival: t(1))
        s.price("X", "95.2", at: 2)  // E = 400 < MM 5712, halted: liquidation still runs
        s.setModeOverride(nil, arrival: t(2))
        let fill = FillCommand(account: "alice", market: "X", size: a("-1"), price: a("95.2"), arrival: t(3))
        let before = s.stateHash
        let checked = try s.check(fill)
        #expect(s.stateHash == before)
        let applied = try s.apply(fill)
        #expect(checked == applied)
    }
}
