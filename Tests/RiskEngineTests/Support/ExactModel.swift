import PropertyBased
@testable import RiskEngine

/// An independent exact-decimal model of RISK.md "Valuation" for test books: plain Int128 at
/// scale 10^-24 (values are kept small enough by the generators), no rounding anywhere.
struct ExactModel {
    static let scale: Int128 = 10_000_000_000_000_000  // 10^16: raw units → 10^-24

    /// Market prices (raw) by market index, effective fractions from the engine's context.
    var prices: [Int128]
    var imf: [Int128]
    var mmf: [Int128]
    /// ETH: weight and pricing market.
    var ethWeight: Int128 = 90_000_000
    var ethMarket = 1

    init(_ context: ValuationContext) {
        prices = context.markets.map(\.price)
        imf = context.markets.map(\.imf)
        mmf = context.markets.map(\.mmf)
    }

    func equity(_ a: Account) -> Int128 {
        var e = a.settlement * Self.scale
        for (k, balance) in a.others.enumerated() where k == 0 { e += balance * prices[ethMarket] * ethWeight }
        for p in a.positions { e += p.size * (prices[Int(p.market)] - p.entry) * Fixed.unit }
        return e
    }

    func maintenance(_ a: Account) -> Int128 {
        a.positions.reduce(0) { $0 + Int128($1.size.magnitude) * prices[Int($1.market)] * mmf[Int($1.market)] }
    }

    func initial(_ a: Account) -> Int128 {
        a.positions.reduce(0) { $0 + Int128($1.size.magnitude) * prices[Int($1.market)] * imf[Int($1.market)] }
    }

    func status(_ a: Account) -> AccountStatus {
        let e = equity(a)
        if e < 0 { return .bankrupt }
        if e < maintenance(a) { return .liquidatable }
        if e < initial(a) { return .atRisk }
        return .healthy
    }

    /// E − MM with market `m` at `price`, the rest held.
    func gap(_ a: Account, market m: Int, price: Int128) -> Int128 {
        var moved = self
        moved.prices[m] = price
        return moved.equity(a) - moved.maintenance(a)
    }

    static func floor(_ x: Int128) -> Int128 { x >= 0 ? x / scale : -((-x + scale - 1) / scale) }
    static func ceil(_ x: Int128) -> Int128 { -floor(-x) }
}

/// A random account of the example segment: settlement, ETH collateral (priced by ETH-USD),
/// up to three positions (BTC-USD, ETH-USD, X), all three markets priced.
struct ExactBook: CustomStringConvertible {
    var settlement: Int128
    var eth: Int128
    var positions: [(market: Int32, size: Int128, entry: Int128)]
    var prices: [Int128]
    /// Seconds into a maintenance ramp 1 → 1.25 over 600 s (0: no ramp).
    var rampSeconds: Int64

    var description: String { "s=\(settlement) eth=\(eth) positions=\(positions) prices=\(prices) ramp=\(rampSeconds)" }

    var account: Account {
        var a = Account(id: "acct")
        a.settlement = settlement
        if eth != 0 { a.setOther(0, eth, count: 1) }
        for p in positions.sorted(by: { $0.market < $1.market }) where p.size != 0 && a.positionIndex(market: p.market) == nil {
            a.positions.append(Position(market: p.market, holderSlot: -1, size: p.size, entry: p.entry))
        }
        return a
    }

    /// A segment with these prices at t(0) and, when asked, a ramp started at t(0).
    func segment(_ spec: SegmentSpec = makeSpec(maxJump: "1000")) -> Segment {
        var s = makeSegment(spec)
        for (m, price) in prices.enumerated() {
            s.markets[m].index = price
            s.markets[m].priceTime = t(0)
            s.markets[m].sources = [SourcePrice(source: "feed-a", price: price, timestamp: t(0))]
        }
        if rampSeconds > 0 {
            // Elevated since t(0): its MM multiplier 1.25 ramps in over 600 s.
            s.volatilityMode = .elevated
            s.mode = .elevated
            s.autoMode = .elevated
            s.mmRamp = MultiplierRamp(from: Fixed.unit, to: 125_000_000, start: t(0))
        }
        s.clock = t(0)
        return s
    }

    var now: Timestamp { t(rampSeconds) }
}

/// Raw amounts with 8 random decimals: sizes up to ±50, prices 0.01–100,000.
let rawPrice = Gen.int128(in: 1_000_000...10_000_000_000_000)
let exactBook = zip(
    Gen.int128(in: -1_000_000_000_000...100_000_000_000_000),
    Gen.int128(in: -20_000_000_000...10_000_000_000).map { max($0, 0) },
    zip(Gen.int(in: 0...2).map(Int32.init), Gen.int128(in: -5_000_000_000...5_000_000_000), rawPrice)
        .map { (market: $0.0, size: $0.1, entry: $0.2) }.array(of: 0...3),
    rawPrice.array(of: 3),
    Gen.int(in: -200...290).map { Int64(max($0, 0)) }
).map { ExactBook(settlement: $0.0, eth: $0.1, positions: $0.2, prices: $0.3, rampSeconds: $0.4) }
