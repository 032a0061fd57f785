@testable import RiskEngine

/// Shorthand for exact literals in tests.
func a(_ text: String) -> Amount { Amount(text)! }

func t(_ seconds: Int64) -> Timestamp { Timestamp(seconds: 1_800_000_000 + seconds) }

/// API.md's example segment: USDC settlement, ETH collateral at 0.9, BTC-USD (5% / 3%),
/// ETH-USD (10% / 5%) and a plain market X (5% / 3%) for easy hand arithmetic. Volatility
/// thresholds default high so that big test moves do not switch regimes (RegimeTests lower them).
func makeSpec(
    id: String = "majors", insuranceFund: String = "100000", maxJump: String = "0.25", minSources: Int = 1,
    maxPortion: String = "0.25", minNotional: String = "1000", penalty: String = "0.01", buffer: String = "0.02",
    scaling: OpenInterestScaling? = nil, volatility: [String] = ["1000", "2000", "4000"], withdrawalFloor: Amount? = nil, insuranceFundFloor: Amount? = nil
) -> SegmentSpec {
    SegmentSpec(
        id: id, settlementAsset: "USDC",
        collateral: [CollateralSpec(asset: "USDC", weight: a("1")), CollateralSpec(asset: "ETH", weight: a("0.9"), priceMarket: "ETH-USD")],
        markets: [
            MarketSpec(id: "BTC-USD", initialMarginFraction: a("0.05"), maintenanceMarginFraction: a("0.03"), maxOpenInterest: a("1000"), openInterestScaling: scaling),
            MarketSpec(id: "ETH-USD", initialMarginFraction: a("0.1"), maintenanceMarginFraction: a("0.05"), maxOpenInterest: a("100000")),
            MarketSpec(id: "X", initialMarginFraction: a("0.05"), maintenanceMarginFraction: a("0.03"), maxOpenInterest: a("1000000")),
        ],
        oracle: OracleSpec(maxAgeSeconds: 30, liquidationMaxAgeSeconds: 300, maxFutureSkewSeconds: 5, maxJump: a(maxJump), minSources: minSources),
        liquidation: LiquidationSpec(penalty: a(penalty), buffer: a(buffer), maxPortion: a(maxPortion), minNotional: a(minNotional)),
        insuranceFund: a(insuranceFund),
        regimes: RegimeSpec(
            ewmaHalfLifeSeconds: 3600, hysteresis: a("0.2"), cooldownSeconds: 300, mmRampSeconds: 600,
            elevated: RegimeThreshold(volatility: a(volatility[0]), initialMarginMultiplier: a("1.5"), maintenanceMarginMultiplier: a("1.25")),
            isolated: RegimeThreshold(volatility: a(volatility[1]), initialMarginMultiplier: a("2"), maintenanceMarginMultiplier: a("1.5")),
            reduceOnly: RegimeThreshold(volatility: a(volatility[2]), initialMarginMultiplier: a("2"), maintenanceMarginMultiplier: a("1.5"))),
        withdrawalFloor: withdrawalFloor, insuranceFundFloor: insuranceFundFloor)
}

func makeSegment(_ spec: SegmentSpec = makeSpec()) -> Segment {
    try! Segment(spec: spec)
}

extension Segment {
    @discardableResult
    mutating func price(_ market: String, _ price: String, at seconds: Int64, source: String = "feed-a") -> PriceOutcome {
        apply(PriceBatch(prices: [PriceInput(market: market, price: a(price), timestamp: t(seconds), source: source)], arrival: t(seconds)))
    }

    @discardableResult
    mutating func deposit(_ account: String, _ amount: String, asset: String = "USDC", at seconds: Int64 = 0) throws -> CollateralOutcome {
        try apply(CollateralCommand(account: account, asset: asset, amount: a(amount), arrival: t(seconds)))
    }

    @discardableResult
    mutating func fill(_ account: String, _ market: String, _ size: String, _ price: String, fee: String = "0", at seconds: Int64) throws -> FillOutcome {
        try apply(FillCommand(account: account, market: market, size: a(size), price: a(price), fee: a(fee), arrival: t(seconds)))
    }

    func summary(_ account: String) -> MarginSummary { marginSummary(account: account)! }
}
