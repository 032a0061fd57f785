import Testing
@testable import RiskEngine

@Suite struct RegimeTests {
    /// Socialized bad debt isolates for at least the cooldown (RISK.md step 4): a long one
    /// keeps these ramp tests inside it.
    func badDebtSegment() throws -> Segment {
        var spec = makeSpec(insuranceFund: "0")
        spec.regimes.cooldownSeconds = 3_600
        var s = makeSegment(spec)
        try s.deposit("carol", "1000")
        try s.deposit("dave", "5000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        s.price("X", "80", at: 2)
        return s
    }

    /// Bad debt → isolated: IM multiplier 2 at once; the MM multiplier 1.5 ramps in linearly
    /// over mmRamp = 600 s: MMF 0.03 → 0.0375 after 300 s → 0.045 after 600 s.
    @Test func maintenanceMultiplierRampsIn() throws {
        var s = try badDebtSegment()
        #expect(s.view().mode == .isolated && s.view().marginMultiplier == a("2"))
        #expect(s.view().markets[2].initialMarginFraction == a("0.1"))
        #expect(s.view().markets[2].maintenanceMarginFraction == a("0.03"))
        s.price("X", "80", at: 302)
        #expect(s.view().markets[2].maintenanceMarginFraction == a("0.0375"))
        s.price("X", "80", at: 700)
        #expect(s.view().markets[2].maintenanceMarginFraction == a("0.045"))
    }

    /// Reads take the reader's time: mid-ramp they show the requirement as of now (0.0375 at
    /// 300 s), never earlier than the last command, and they change nothing.
    @Test func readsValueTheRampAtTheReadersTime() throws {
        let s = try badDebtSegment()
        let hash = s.stateHash
        let start = s.view().markets[2].maintenanceMarginFraction
        #expect(start == a("0.03"))
        #expect(s.view(at: t(302)).markets[2].maintenanceMarginFraction == a("0.0375"))
        #expect(s.view(at: t(-100)).markets[2].maintenanceMarginFraction == start)
        #expect(s.stateHash == hash && s.view().markets[2].maintenanceMarginFraction == start)
    }

    /// The ramp moves in whole seconds: a liquidation price read early in a second is exact
    /// for a price posted later in the same second (one tick better: nothing; at it: liquidated).
    @Test func aLiquidationPriceReadMidRampHoldsForTheRestOfTheSecond() throws {
        var s = try badDebtSegment()
        try s.fill("dave", "X", "500", "80", at: 3)  // IM 40000·0.1 = 4000 ≤ 5000 (isolated: ×2)
        func at(_ seconds: Int64, _ nanos: Int64) -> Timestamp { Timestamp(nanoseconds: t(seconds).nanoseconds + nanos) }
        #expect(s.view(at: at(100, 0)).markets[2].maintenanceMarginFraction
            == s.view(at: at(100, 999_999_999)).markets[2].maintenanceMarginFraction)
        let read = s.marginSummary(account: "dave", at: at(100, 100_000_000))!
        let price = try #require(read.positions.first?.liquidationPrice)
        let better = Amount(uncheckedRaw: price.raw + 1)
        let first = s.apply(PriceBatch(prices: [PriceInput(market: "X", price: better, timestamp: at(100, 900_000_000), source: "feed-a")], arrival: at(100, 900_000_000)))
        #expect(first.liquidations.isEmpty)
        let second = s.apply(PriceBatch(prices: [PriceInput(market: "X", price: price, timestamp: at(100, 950_000_000), source: "feed-a")], arrival: at(100, 950_000_000)))
        #expect(second.liquidations.first?.account == "dave")
    }

    /// With a sampling interval, ticks inside it only move the index: jitter of ±0.05% every
    /// second leaves the volatility at 0, and the next sample's return spans the whole move
    /// since the anchor (100 → 100.04 over 60 s).
    @Test func volatilitySamplesAtMostOncePerInterval() throws {
        var spec = makeSpec()
        spec.regimes.volatilitySampleSeconds = 60
        var s = makeSegment(spec)
        s.price("X", "100", at: 0)
        for second in 1...59 {
            s.price("X", second % 2 == 0 ? "100.05" : "99.95", at: Int64(second))
        }
        #expect(s.view().markets[2].volatility == .zero)
        var perTick = makeSegment()
        perTick.price("X", "100", at: 0)
        for second in 1...59 {
            perTick.price("X", second % 2 == 0 ? "100.05" : "99.95", at: Int64(second))
        }
        #expect(perTick.view().markets[2].volatility > .zero)
        s.price("X", "100.04", at: 60)
        #expect(s.view().markets[2].volatility > .zero)
        #expect(s.view().markets[2].indexPrice == a("100.04"))
        // The interval is part of the spec: it survives a snapshot.
        #expect(try Segment(snapshot: s.snapshot()).spec.regimes.volatilitySampleSeconds == 60)
    }

    /// Halted keeps the multipliers of the automatic mode underneath; clearing returns to it.
    @Test func haltedKeepsUnderlyingMultipliers() throws {
        var s = try badDebtSegment()
        s.setModeOverride(.halted, arrival: t(3))
        #expect(s.view().mode == .halted && s.view().marginMultiplier == a("2"))
        s.setModeOverride(nil, arrival: t(4))
        #expect(s.view().mode == .isolated)
        var n = makeSegment()
        n.setModeOverride(.halted, arrival: t(0))
        #expect(n.view().marginMultiplier == a("1"))
    }

    @Test func insuranceFloorIsolates() throws {
        var s = makeSegment(makeSpec(insuranceFundFloor: a("100001")))
        try s.deposit("alice", "10")
        #expect(s.view().mode == .isolated)
        s.price("X", "100", at: 1)
        // A 1-unit fee lifts the fund to the floor.
        try s.deposit("alice", "1000", at: 1)
        _ = try s.fill("alice", "X", "1", "100", fee: "1", at: 2)
        #expect(s.view().insuranceFund == a("100001"))
        #expect(s.view().mode == .normal)
    }

    /// EWMA volatility from accepted prices: a 5% jump one second after the previous price is a
    /// huge annualized volatility; calm prices decay it and, after the cooldown, the mode returns.
    @Test func volatilityDrivesModesWithHysteresis() {
        var s = makeSegment(makeSpec(volatility: ["1.0", "2.0", "4.0"]))
        s.price("X", "100", at: 0)
        #expect(s.view().markets[2].volatility == .zero)
        let out = s.price("X", "105", at: 1)
        #expect(out.mode > .normal)
        #expect(s.view().markets[2].volatility > a("1"))
        var time: Int64 = 1
        var modes: [SegmentMode] = []
        for _ in 0..<200 {
            time += 600
            modes.append(s.price("X", "105", at: time).mode)
        }
        #expect(modes.last == .normal)
        // Never back to normal before the cooldown (300 s) elapsed: the first calm reading holds the mode.
        #expect(modes.first == out.mode)
    }

    @Test func reduceOnlyOverrideBlocksIncreasesOnly() throws {
        var s = makeSegment()
        try s.deposit("alice", "1000")
        s.price("X", "100", at: 0)
        s.setModeOverride(.reduceOnly, arrival: t(0))
        #expect(try s.fill("alice", "X", "1", "100", at: 1).decision.reason == .reduceOnly)
        #expect(s.view().mode == .reduceOnly)
    }
}

@Suite struct OracleDeadTests {
    /// An index older than liquidationMaxAge (300 s) on a market with positions → reduce_only;
    /// a fresh price restores the automatic mode.
    @Test func deadOracleMeansReduceOnly() throws {
        var s = makeSegment()
        try s.deposit("alice", "1000")
        s.price("X", "100", at: 0)
        try s.fill("alice", "X", "1", "100", at: 1)
        try s.deposit("alice", "1", at: 300)
        #expect(s.view().mode == .normal)
        try s.deposit("alice", "1", at: 301)
        #expect(s.view().mode == .reduceOnly)
        #expect(try s.fill("alice", "X", "-0.5", "100", at: 302).decision == .accepted)
        #expect(s.price("X", "100", at: 303).mode == .normal)
    }
}
