import Testing
@testable import RiskEngine

@Suite struct CollateralTests {
    @Test func depositsAndWithdrawals() throws {
        var s = makeSegment()
        #expect(try s.deposit("alice", "100").decision == .accepted)
        #expect(try s.deposit("alice", "-40").account.balances[0].balance == a("60"))
        let over = try s.deposit("alice", "-60.00000001")
        #expect(over.decision.reason == .insufficientMargin)
        #expect(over.account.balances[0].balance == a("60"))
        #expect(try s.deposit("alice", "-60").decision == .accepted)
    }

    /// With a position, a withdrawal must leave E ≥ IM: deposit 1000, long 100 X at 100
    /// (IM = 500) → at most 500 can leave.
    @Test func withdrawalKeepsInitialMargin() throws {
        var s = makeSegment()
        try s.deposit("alice", "1000")
        s.price("X", "100", at: 0)
        try s.fill("alice", "X", "100", "100", at: 1)
        #expect(try s.deposit("alice", "-500.00000001", at: 2).decision.reason == .insufficientMargin)
        #expect(try s.deposit("alice", "-500", at: 2).decision == .accepted)
    }

    /// withdrawalFloor 0.1 keeps 10% of notional (1000) on top of IM (500).
    @Test func withdrawalFloorAddsToRequirement() throws {
        var s = makeSegment(makeSpec(withdrawalFloor: a("0.1")))
        try s.deposit("alice", "2000")
        s.price("X", "100", at: 0)
        try s.fill("alice", "X", "100", "100", at: 1)
        #expect(try s.deposit("alice", "-500.00000001", at: 2).decision.reason == .insufficientMargin)
        #expect(try s.deposit("alice", "-500", at: 2).decision == .accepted)
    }

    @Test func haltedAcceptsDepositsOnly() throws {
        var s = makeSegment()
        try s.deposit("alice", "100")
        s.setModeOverride(.halted, arrival: t(1))
        #expect(try s.deposit("alice", "1", at: 2).decision == .accepted)
        #expect(try s.deposit("alice", "-1", at: 2).decision.reason == .segmentHalted)
        s.setModeOverride(nil, arrival: t(3))
        #expect(try s.deposit("alice", "-1", at: 4).decision == .accepted)
    }

    @Test func invalidMovementsThrowAndUnknownWithdrawerIsNotCreated() throws {
        var s = makeSegment()
        #expect(throws: EngineError.collateralNotPermitted("DOGE")) { try s.deposit("alice", "1", asset: "DOGE") }
        #expect { try s.deposit("alice", "0") } throws: { ($0 as? EngineError)?.code == "invalid_amount" }
        let out = try s.deposit("ghost", "-1")
        #expect(out.decision.reason == .insufficientMargin && out.account.equity == .zero)
        #expect(s.marginSummary(account: "ghost") == nil)
        try s.deposit("alice", "100000000000000000000000000")
        #expect { try s.deposit("alice", "1") } throws: { ($0 as? EngineError)?.code == "amount_out_of_range" }
    }
}
