import Testing
@testable import RiskEngine

@Suite struct ValidationTests {
    @Test func exampleSpecIsValid() throws {
        try makeSpec().validate()
    }

    static let cases: [(String, @Sendable (inout SegmentSpec) -> Void)] = [
        ("id", { $0.id = "" }),
        ("id", { $0.id = String(repeating: "a", count: 65) }),
        ("id", { $0.id = "maj ors" }),
        ("settlementAsset", { $0.settlementAsset = "US/DC" }),
        ("markets", { $0.markets = [] }),
        ("markets[1].id", { $0.markets[1].id = "BTC-USD" }),
        ("markets[0].initialMarginFraction", { $0.markets[0].initialMarginFraction = .zero }),
        ("markets[0].initialMarginFraction", { $0.markets[0].initialMarginFraction = a("1.00000001") }),
        ("markets[0].maintenanceMarginFraction", { $0.markets[0].maintenanceMarginFraction = a("-0.01") }),
        ("markets[0].maintenanceMarginFraction", { $0.markets[0].maintenanceMarginFraction = a("0.06") }),
        // 0.01·1.02 = 0.0102 is not above penalty 0.0102
        ("markets[0].maintenanceMarginFraction", { $0.markets[0].maintenanceMarginFraction = a("0.01"); $0.liquidation.penalty = a("0.0102") }),
        ("markets[0].maxOpenInterest", { $0.markets[0].maxOpenInterest = .zero }),
        ("markets[0].openInterestScaling.upper", { $0.markets[0].openInterestScaling = OpenInterestScaling(lower: a("2"), upper: a("2")) }),
        ("markets[0].openInterestScaling.lower", { $0.markets[0].openInterestScaling = OpenInterestScaling(lower: .zero, upper: a("2")) }),
        ("collateral[1].asset", { $0.collateral[1].asset = "USDC" }),
        ("collateral[0].weight", { $0.collateral[0].weight = a("0.5") }),
        ("collateral[1].weight", { $0.collateral[1].weight = .zero }),
        ("collateral[1].weight", { $0.collateral[1].weight = a("1.1") }),
        ("collateral[1].priceMarket", { $0.collateral[1].priceMarket = nil }),
        ("collateral[1].priceMarket", { $0.collateral[1].priceMarket = "SOL-USD" }),
        ("oracle.maxAgeSeconds", { $0.oracle.maxAgeSeconds = 0 }),
        ("oracle.liquidationMaxAgeSeconds", { $0.oracle.liquidationMaxAgeSeconds = 29 }),
        ("oracle.maxFutureSkewSeconds", { $0.oracle.maxFutureSkewSeconds = -1 }),
        ("oracle.maxJump", { $0.oracle.maxJump = .zero }),
        ("oracle.minSources", { $0.oracle.minSources = 0 }),
        ("liquidation.penalty", { $0.liquidation.penalty = a("-0.01") }),
        ("liquidation.buffer", { $0.liquidation.buffer = a("-0.01") }),
        ("liquidation.maxPortion", { $0.liquidation.maxPortion = .zero }),
        ("liquidation.maxPortion", { $0.liquidation.maxPortion = a("1.5") }),
        ("liquidation.minNotional", { $0.liquidation.minNotional = a("-1") }),
        ("insuranceFund", { $0.insuranceFund = a("-1") }),
        ("regimes.ewmaHalfLifeSeconds", { $0.regimes.ewmaHalfLifeSeconds = 0 }),
        ("regimes.hysteresis", { $0.regimes.hysteresis = .one }),
        ("regimes.hysteresis", { $0.regimes.hysteresis = a("-0.1") }),
        ("regimes.cooldownSeconds", { $0.regimes.cooldownSeconds = -1 }),
        ("regimes.mmRampSeconds", { $0.regimes.mmRampSeconds = -1 }),
        ("regimes.volatilitySampleSeconds", { $0.regimes.volatilitySampleSeconds = -1 }),
        ("regimes.elevated.volatility", { $0.regimes.elevated.volatility = .zero }),
        ("regimes.isolated.volatility", { $0.regimes.isolated.volatility = $0.regimes.elevated.volatility }),
        ("regimes.reduceOnly.volatility", { $0.regimes.reduceOnly.volatility = a("1") }),
        ("regimes.elevated.initialMarginMultiplier", { $0.regimes.elevated.initialMarginMultiplier = a("0.9") }),
        ("regimes.isolated.maintenanceMarginMultiplier", { $0.regimes.isolated.maintenanceMarginMultiplier = a("1.1") }),
    ]

    @Test(arguments: 0..<cases.count)
    func eachRuleNamesItsField(index: Int) {
        let (field, mutate) = Self.cases[index]
        var spec = makeSpec()
        mutate(&spec)
        #expect(throws: SpecError.self) { try spec.validate() }
        do { try spec.validate() } catch { #expect(error.field == field, "\(error.message)") }
        #expect(throws: SpecError.self) { try Segment(spec: spec) }
    }

    @Test func settlementAssetMayBeImplied() throws {
        var spec = makeSpec()
        spec.collateral.removeFirst()
        try spec.validate()
        var s = try Segment(spec: spec)
        #expect(try s.deposit("alice", "1").decision == .accepted)
    }
}
