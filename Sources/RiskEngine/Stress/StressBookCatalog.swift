/// The segments a generated book draws from: names, markets with a reference price and
/// margin fractions, and non-settlement collateral. Thin markets (MNGO, JELLY) carry the
/// higher fractions their venues used; ETH-USD is listed in three segments, so cross-segment
/// hedges (long in one, short in another) exist as in real books.
struct StressBookCatalog {
    struct Market {
        var id: String
        /// Reference price in 10^-8 units.
        var price: Int128
        /// Initial / maintenance margin fraction in thousandths.
        var imf: Int
        var mmf: Int
    }

    struct Collateral {
        var asset: String
        /// Weight in thousandths.
        var weight: Int
        var market: String
    }

    struct Entry {
        var id: String
        var markets: [Market]
        var collateral: [Collateral] = []
    }

    static func m(_ id: String, _ price: String, _ imf: Int, _ mmf: Int) -> Market {
        Market(id: id, price: Amount(price)!.raw, imf: imf, mmf: mmf)
    }

    static let named: [Entry] = [
        Entry(id: "majors", markets: [m("BTC-USD", "60000", 50, 30), m("ETH-USD", "3000", 50, 30), m("SOL-USD", "150", 100, 50)],
              collateral: [Collateral(asset: "ETH", weight: 900, market: "ETH-USD"), Collateral(asset: "BTC", weight: 900, market: "BTC-USD")]),
        Entry(id: "alts", markets: [m("ETH-USD", "3000", 100, 50), m("DOGE-USD", "0.15", 100, 50), m("AVAX-USD", "30", 100, 50), m("LINK-USD", "15", 100, 50)],
              collateral: [Collateral(asset: "ETH", weight: 800, market: "ETH-USD")]),
        Entry(id: "memes", markets: [m("JELLY-USD", "0.02", 200, 100), m("WIF-USD", "2", 200, 100)]),
        Entry(id: "defi", markets: [m("MNGO-USD", "0.03", 200, 100), m("UNI-USD", "8", 100, 50), m("AAVE-USD", "100", 100, 50), m("CRV-USD", "0.6", 100, 50)]),
        Entry(id: "cosmos", markets: [m("LUNA-USD", "80", 100, 50), m("ATOM-USD", "10", 100, 50)],
              collateral: [Collateral(asset: "LUNA", weight: 500, market: "LUNA-USD")]),
        Entry(id: "l2", markets: [m("ETH-USD", "3000", 100, 50), m("ARB-USD", "1", 100, 50), m("OP-USD", "2", 100, 50)]),
        Entry(id: "ai", markets: [m("FET-USD", "1.5", 100, 50), m("RNDR-USD", "7", 100, 50)]),
        Entry(id: "gaming", markets: [m("AXS-USD", "7", 100, 50), m("IMX-USD", "2", 100, 50)]),
        Entry(id: "rwa", markets: [m("ONDO-USD", "1", 100, 50), m("MKR-USD", "1500", 100, 50)]),
        Entry(id: "fx", markets: [m("EUR-USD", "1.08", 20, 10), m("GBP-USD", "1.27", 20, 10)]),
    ]

    /// The first `count` named segments, then generic ones (`seg-11`…).
    static func entries(_ count: Int) -> [Entry] {
        (0..<count).map { i in
            i < named.count ? named[i] : Entry(id: "seg-\(i + 1)", markets: [m("M\(i + 1)A-USD", "10", 100, 50), m("M\(i + 1)B-USD", "20", 100, 50)])
        }
    }

    /// A segment spec for `entry` with an insurance fund of `fund` (10^-8 units).
    static func spec(_ entry: Entry, fund: Int128) -> SegmentSpec {
        func thousandths(_ x: Int) -> Amount { Amount(fixed: Int128(x) * 100_000) }
        return SegmentSpec(
            id: entry.id, settlementAsset: "USDC",
            collateral: [CollateralSpec(asset: "USDC", weight: .one)]
                + entry.collateral.map { CollateralSpec(asset: $0.asset, weight: thousandths($0.weight), priceMarket: $0.market) },
            markets: entry.markets.map {
                MarketSpec(id: $0.id, initialMarginFraction: thousandths($0.imf), maintenanceMarginFraction: thousandths($0.mmf),
                           maxOpenInterest: Amount(fixed: Amount.limitRaw / 100))
            },
            oracle: OracleSpec(maxAgeSeconds: 60, liquidationMaxAgeSeconds: 600, maxFutureSkewSeconds: 5, maxJump: Amount(fixed: 50 * Fixed.unit), minSources: 1),
            liquidation: LiquidationSpec(penalty: thousandths(10), buffer: thousandths(20), maxPortion: thousandths(250), minNotional: Amount(1000)),
            insuranceFund: Amount(fixed: fund),
            regimes: RegimeSpec(
                ewmaHalfLifeSeconds: 3600, hysteresis: thousandths(200), cooldownSeconds: 600, mmRampSeconds: 900,
                elevated: RegimeThreshold(volatility: Amount(2), initialMarginMultiplier: thousandths(1500), maintenanceMarginMultiplier: thousandths(1250)),
                isolated: RegimeThreshold(volatility: Amount(4), initialMarginMultiplier: Amount(2), maintenanceMarginMultiplier: thousandths(1500)),
                reduceOnly: RegimeThreshold(volatility: Amount(8), initialMarginMultiplier: Amount(2), maintenanceMarginMultiplier: thousandths(1500))))
    }
}
