import Testing
@testable import RiskEngine

/// RISK.md "Governance": bounded steps, tightening at once with the maintenance ramp,
/// loosening after the delay, versions.
@Suite struct GovernanceTests {
    static func change(_ fields: [(String, ParamValue)], at seconds: Int64, expected: UInt64? = nil) -> ParamsChangeCommand {
        ParamsChangeCommand(
            expectedVersion: expected, keyId: "ops-admin", reason: "test",
            fields: fields.map { ParamAssignment(path: $0.0, value: $0.1) }, arrival: t(seconds))
    }

    /// alice (E 400) and bob (E 450) hold 100 X at 98: healthy at MMF 0.03, liquidatable at
    /// 0.05. Raising MMF to 0.05 at t=10 liquidates nobody then; the ramp (600 s, whole
    /// seconds) reaches alice at 325 s (MM 400.17 > 400) and bob at 478 s (450.15 > 450).
    @Test func tighteningRampsInAndLiquidatesOnlyAsTheRampReachesEach() throws {
        var s = makeSegment()
        try s.deposit("alice", "600")
        try s.deposit("bob", "650")
        s.price("X", "100", at: 0)
        try s.fill("alice", "X", "100", "100", at: 1)
        try s.fill("bob", "X", "100", "100", at: 1)
        s.price("X", "98", at: 5)
        let outcome = try s.apply(Self.change(
            [("markets.X.maintenanceMarginFraction", .amount(a("0.05")))], at: 10, expected: 1))
        #expect(outcome.version == 2 && outcome.pending.isEmpty)
        #expect(outcome.liquidations.isEmpty)
        #expect(s.spec.markets[2].maintenanceMarginFraction == a("0.05"))
        for second in stride(from: 100, through: 300, by: 100) {
            #expect(s.price("X", "98", at: Int64(second)).liquidations.isEmpty)
        }
        #expect(s.price("X", "98", at: 334).liquidations.isEmpty)
        let first = s.price("X", "98", at: 335).liquidations
        #expect(Set(first.map(\.account)) == ["alice"])
        // alice may take further steps as the ramp rises; bob's turn comes only at 478 s.
        #expect(!s.price("X", "98", at: 487).liquidations.contains { $0.account == "bob" })
        #expect(s.price("X", "98", at: 488).liquidations.contains { $0.account == "bob" })
    }

    /// Loosening waits `looseningDelaySeconds` (3600): not a nanosecond earlier, exactly then.
    @Test func looseningTakesEffectExactlyAfterTheDelay() throws {
        var s = makeSegment()
        let outcome = try s.apply(Self.change([("markets.X.maxOpenInterest", .amount(a("1500000")))], at: 10))
        #expect(outcome.pending == [PendingParam(field: "markets.X.maxOpenInterest", value: .amount(a("1500000")), effectiveAt: t(3610), version: 2)])
        #expect(s.spec.markets[2].maxOpenInterest == a("1000000"))
        let justBefore = Timestamp(nanoseconds: t(3610).nanoseconds - 1)
        s.apply(PriceBatch(prices: [PriceInput(market: "X", price: a("100"), timestamp: justBefore, source: "feed-a")], arrival: justBefore))
        #expect(s.spec.markets[2].maxOpenInterest == a("1000000"))
        s.price("X", "100", at: 3610)
        #expect(s.spec.markets[2].maxOpenInterest == a("1500000"))
        #expect(s.pending.isEmpty)
        let events = s.takeEvents()
        #expect(events.contains { if case .paramsChanged(let e) = $0 { e.changes.first?.field == "markets.X.maxOpenInterest" } else { false } })
    }

    /// Each bound at its edge passes; one unit (10⁻⁸ or 1 s) past it is param_step_too_large
    /// naming the field.
    @Test(arguments: [
        ("markets.BTC-USD.initialMarginFraction", ParamValue.amount(a("0.07")), ParamValue.amount(a("0.07000001"))),
        ("markets.BTC-USD.maintenanceMarginFraction", .amount(a("0.01")), .amount(a("0.00999999"))),
        ("markets.BTC-USD.maxOpenInterest", .amount(a("2000")), .amount(a("2000.00000001"))),
        ("markets.BTC-USD.maxOpenInterest", .amount(a("500")), .amount(a("499.99999999"))),
        ("collateral.ETH.weight", .amount(a("0.85")), .amount(a("0.84999999"))),
        ("oracle.maxJump", .amount(a("0.375")), .amount(a("0.37500001"))),
        ("oracle.maxAgeSeconds", .integer(45), .integer(46)),
        ("liquidation.penalty", .amount(a("0.015")), .amount(a("0.01500001"))),
        ("regimes.elevated.volatility", .amount(a("1500")), .amount(a("1500.00000001"))),
    ])
    func boundsAtTheEdgeAndOnePast(path: String, edge: ParamValue, past: ParamValue) throws {
        var ok = makeSegment()
        #expect(try ok.apply(Self.change([(path, edge)], at: 1)).version == 2)
        var refused = makeSegment()
        let hash = refused.stateHash
        do {
            _ = try refused.apply(Self.change([(path, past)], at: 1))
            Issue.record("one past the bound was accepted")
        } catch {
            #expect(error.code == "param_step_too_large" && error.kind == .invalid)
            #expect(error.message.contains(path) && error.message.contains("bound"))
        }
        #expect(refused.stateHash == hash && refused.version == 1)
    }

    @Test func versionConflictAndValidationChangeNothing() throws {
        var s = makeSegment()
        let hash = s.stateHash
        #expect(throws: EngineError(.conflict, code: "version_conflict", message: "expectedVersion 5 is not the current version 1")) {
            try s.apply(Self.change([("oracle.maxJump", .amount(a("0.2")))], at: 1, expected: 5))
        }
        // MMF 0.05 above IMF 0.04 (both within bounds) fails the new-segment validation.
        do {
            _ = try s.apply(Self.change([
                ("markets.BTC-USD.initialMarginFraction", .amount(a("0.04"))),
                ("markets.BTC-USD.maintenanceMarginFraction", .amount(a("0.05"))),
            ], at: 1))
            Issue.record("invalid spec accepted")
        } catch {
            #expect(error.code == "invalid_spec")
        }
        #expect(s.stateHash == hash)
    }

    @Test func marketsAndCollateralAreAddedAndRecordedInHistory() throws {
        var s = makeSegment()
        var add = Self.change([], at: 1)
        add.addMarkets = [MarketSpec(id: "SOL-USD", initialMarginFraction: a("0.1"), maintenanceMarginFraction: a("0.05"), maxOpenInterest: a("1000"))]
        add.collateral = [CollateralSpec(asset: "SOL", weight: a("0.5"), priceMarket: "SOL-USD")]
        _ = try s.apply(add)
        s.price("SOL-USD", "150", at: 2)
        try s.deposit("alice", "10", asset: "SOL", at: 2)
        #expect(s.summary("alice").collateralValue == a("750"))
        #expect(s.history.map(\.version) == [2] && s.history[0].keyId == "ops-admin")
        #expect(s.history[0].changes.map(\.field) == ["markets.SOL-USD", "collateral.SOL"])
        #expect(try Segment(snapshot: s.snapshot()).stateHash == s.stateHash)
    }

    @Test func modeFloorIsTheStricterOfFloorAndAutomatic() throws {
        var s = makeSegment()
        _ = try s.apply(ModeFloorCommand(mode: .isolated, reason: "incident", keyId: "ops", arrival: t(1)))
        #expect(s.currentMode == .isolated)
        let events = s.takeEvents()
        #expect(events.contains { if case .modeChange(let m) = $0 { m.to == .isolated && m.reason.contains("incident") } else { false } })
        _ = try s.apply(ModeFloorCommand(mode: nil, reason: "", keyId: "ops", arrival: t(2)))
        #expect(s.currentMode == .normal)
        #expect(throws: EngineError.self) { try s.apply(ModeFloorCommand(mode: .elevated, reason: "", keyId: "ops", arrival: t(3))) }
    }
}
