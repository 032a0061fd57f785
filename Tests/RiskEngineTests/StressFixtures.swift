import Testing
@testable import RiskEngine

/// A segment for hand arithmetic: USDC only, IMF 10% / MMF 5% on every market, no penalty or
/// buffer, and a minimum notional so high that a liquidation closes a position in one step.
func stressSpec(_ id: String, markets: [String], insuranceFund: String, collateral: [CollateralSpec] = []) -> SegmentSpec {
    SegmentSpec(
        id: id, settlementAsset: "USDC",
        collateral: [CollateralSpec(asset: "USDC", weight: a("1"))] + collateral,
        markets: markets.map { MarketSpec(id: $0, initialMarginFraction: a("0.1"), maintenanceMarginFraction: a("0.05"), maxOpenInterest: a("1000000000")) },
        oracle: OracleSpec(maxAgeSeconds: 30, liquidationMaxAgeSeconds: 300, maxFutureSkewSeconds: 5, maxJump: a("1000"), minSources: 1),
        liquidation: LiquidationSpec(penalty: a("0"), buffer: a("0"), maxPortion: a("1"), minNotional: a("1000000000")),
        insuranceFund: a(insuranceFund),
        regimes: RegimeSpec(
            ewmaHalfLifeSeconds: 3600, hysteresis: a("0.2"), cooldownSeconds: 300, mmRampSeconds: 600,
            elevated: RegimeThreshold(volatility: a("1000"), initialMarginMultiplier: a("1.5"), maintenanceMarginMultiplier: a("1.25")),
            isolated: RegimeThreshold(volatility: a("2000"), initialMarginMultiplier: a("2"), maintenanceMarginMultiplier: a("1.5")),
            reduceOnly: RegimeThreshold(volatility: a("4000"), initialMarginMultiplier: a("2"), maintenanceMarginMultiplier: a("1.5"))))
}

/// The figures of one row, as the hand computes them (amounts as decimal strings).
struct HandFigures {
    var liquidated = 0, steps = 0, bankrupt = 0
    var badDebt = "0", fundUsed = "0", fundAfter = "0", socialized = "0", contagion = "0"
    var unaffected = 0
    var mode = SegmentMode.normal

    func check(_ figures: StressFigures, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(figures.accountsLiquidated == liquidated, "\(label) accountsLiquidated", sourceLocation: sourceLocation)
        #expect(figures.liquidationSteps == steps, "\(label) liquidationSteps", sourceLocation: sourceLocation)
        #expect(figures.accountsBankrupt == bankrupt, "\(label) accountsBankrupt", sourceLocation: sourceLocation)
        #expect(figures.badDebt == a(badDebt), "\(label) badDebt", sourceLocation: sourceLocation)
        #expect(figures.insuranceFundUsed == a(fundUsed), "\(label) insuranceFundUsed", sourceLocation: sourceLocation)
        #expect(figures.insuranceFundAfter == a(fundAfter), "\(label) insuranceFundAfter", sourceLocation: sourceLocation)
        #expect(figures.lossSocialized == a(socialized), "\(label) lossSocialized", sourceLocation: sourceLocation)
        #expect(figures.contagionLoss == a(contagion), "\(label) contagionLoss", sourceLocation: sourceLocation)
        #expect(figures.accountsUnaffected == unaffected, "\(label) accountsUnaffected", sourceLocation: sourceLocation)
        #expect(figures.modeAfter == mode, "\(label) modeAfter", sourceLocation: sourceLocation)
    }
}
