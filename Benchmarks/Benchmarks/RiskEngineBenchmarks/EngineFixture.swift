import RiskEngine

/// Builds benchmark segments through the public API only.
enum EngineFixture {
    static func amount(_ text: String) -> Amount { Amount(text)! }

    static let start = Timestamp(seconds: 1_800_000_000)

    static func spec() -> SegmentSpec {
        let threshold = { (v: String) in RegimeThreshold(volatility: amount(v), initialMarginMultiplier: amount("1.5"), maintenanceMarginMultiplier: amount("1.25")) }
        return SegmentSpec(
            id: "bench", settlementAsset: "USDC", collateral: [CollateralSpec(asset: "USDC", weight: .one)],
            markets: [
                MarketSpec(id: "X", initialMarginFraction: amount("0.05"), maintenanceMarginFraction: amount("0.03"), maxOpenInterest: amount("1000000000000")),
                MarketSpec(id: "Y", initialMarginFraction: amount("0.05"), maintenanceMarginFraction: amount("0.03"), maxOpenInterest: amount("1000000000000")),
            ],
            oracle: OracleSpec(maxAgeSeconds: 1_000_000, liquidationMaxAgeSeconds: 1_000_000, maxFutureSkewSeconds: 5, maxJump: amount("0.25"), minSources: 1),
            liquidation: LiquidationSpec(penalty: amount("0.01"), buffer: amount("0.02"), maxPortion: amount("0.25"), minNotional: amount("1000")),
            insuranceFund: amount("1000000"),
            regimes: RegimeSpec(
                ewmaHalfLifeSeconds: 3600, hysteresis: amount("0.2"), cooldownSeconds: 300, mmRampSeconds: 600,
                elevated: threshold("1000"), isolated: threshold("2000"), reduceOnly: threshold("4000")))
    }

    static func accountId(_ i: Int) -> String {
        var digits = String(i)
        while digits.count < 7 { digits = "0" + digits }
        return "acct" + digits  // ≤ 15 bytes: stored inline in the String
    }

    /// `accounts` funded accounts, each holding one position (long for even, short for odd)
    /// in market X; nobody anywhere near liquidation.
    /// With `both`, each account also holds the opposite position in market Y (two positions:
    /// no longer a "simple" account, so every check of it is a full multi-position one).
    static func segment(accounts: Int, positions: Bool = true, both: Bool = false) -> Segment {
        var segment = try! Segment(spec: spec())
        segment.apply(PriceBatch(prices: [PriceInput(market: "X", price: amount("100"), timestamp: start, source: "a")], arrival: start))
        segment.apply(PriceBatch(prices: [PriceInput(market: "Y", price: amount("100"), timestamp: start, source: "a")], arrival: start))
        let deposit = amount("100000")
        let size = amount("1")
        for i in 0..<accounts {
            let id = accountId(i)
            _ = try! segment.apply(CollateralCommand(account: id, asset: "USDC", amount: deposit, arrival: start))
            if positions {
                let fill = FillCommand(account: id, market: "X", size: i % 2 == 0 ? size : size.negated, price: amount("100"), arrival: start)
                _ = try! segment.apply(fill)
                if both {
                    let hedge = FillCommand(account: id, market: "Y", size: i % 2 == 0 ? size.negated : size, price: amount("100"), arrival: start)
                    _ = try! segment.apply(hedge)
                }
            }
        }
        return segment
    }
}
