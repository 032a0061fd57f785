import Testing
@testable import RiskEngine

/// RISK.md "Liquidation" step 4: outstanding bad debt keeps the segment isolated until a
/// top-up pays it; socialized bad debt only for the cooldown.
@Suite struct BadDebtTests {
    /// carol alone (nobody to absorb her loss) ends at −1000: outstanding bad debt 1000.
    func outstandingSegment() throws -> Segment {
        var s = makeSegment(makeSpec(insuranceFund: "0"))
        try s.deposit("carol", "1000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        s.price("X", "80", at: 2)
        return s
    }

    @Test func outstandingBadDebtKeepsIsolatedUntilATopUp() throws {
        var s = try outstandingSegment()
        #expect(s.view().badDebt == a("1000") && s.view().badDebtTotal == a("1000") && s.view().socializedLossTotal == .zero)
        s.price("X", "80", at: 400)  // past the 300 s cooldown
        #expect(s.currentMode == .isolated)
        let partial = try s.apply(InsuranceTopUpCommand(amount: a("400"), reason: "recap", keyId: "ops", arrival: t(401)))
        #expect(partial.badDebtPaid == a("400") && partial.badDebt == a("600") && partial.mode == .isolated)
        let full = try s.apply(InsuranceTopUpCommand(amount: a("700"), reason: "recap", keyId: "ops", arrival: t(402)))
        #expect(full.badDebtPaid == a("600") && full.badDebt == .zero && full.insuranceFund == a("100"))
        #expect(full.mode == .normal)
        #expect(s.view().badDebtTotal == a("1000"))
    }

    /// Fully socialized bad debt: isolated for the cooldown, then it leaves by the usual rule.
    @Test func socializedBadDebtIsolatesForTheCooldownOnly() throws {
        var s = makeSegment(makeSpec(insuranceFund: "0"))
        try s.deposit("carol", "1000")
        try s.deposit("dave", "5000")
        s.price("X", "100", at: 0)
        try s.fill("carol", "X", "100", "100", at: 1)
        s.price("X", "80", at: 2)
        #expect(s.currentMode == .isolated && s.view().badDebt == .zero)
        s.price("X", "80", at: 301)
        #expect(s.currentMode == .isolated)
        s.price("X", "80", at: 302)
        #expect(s.currentMode == .normal)
    }

    @Test func topUpMustBePositive() throws {
        var s = try outstandingSegment()
        let hash = s.stateHash
        #expect(throws: EngineError.self) { try s.apply(InsuranceTopUpCommand(amount: .zero, reason: "", keyId: "ops", arrival: t(3))) }
        #expect(s.stateHash == hash)
    }
}
