/// Live state of one market: its oracle sources, index, open interest and holders.
struct MarketState: Sendable, Hashable {
    var id: String
    var index: Int128?
    var priceTime: Timestamp?
    /// Latest accepted price per source, sorted by source name (deterministic median).
    var sources: [SourcePrice] = []
    /// Σ long sizes and Σ |short sizes| over all accounts (incl. @insurance).
    var longSize: Int128 = 0
    var shortSize: Int128 = 0
    /// Account indices holding a position here: a price tick touches only these.
    var holders: [Int32] = []
    /// Size and entry of each holder's position, parallel to `holders` (contiguous for ticks).
    var holderSizes: [Int128] = []
    var holderEntries: [Int128] = []
    var volatility: VolatilityEstimate = VolatilityEstimate()
    /// A price beyond `maxJump`, held until confirmed (RISK.md "Oracle").
    var held: SourcePrice?
    /// A governance raise of the maintenance fraction ramping in (RISK.md "Governance").
    var mmfRamp: MultiplierRamp?

    init(id: String) { self.id = id }

    var openInterest: Int128 { max(longSize, shortSize) }
}

struct SourcePrice: Sendable, Hashable {
    var source: String
    var price: Int128
    var timestamp: Timestamp
}

/// EWMA of squared log returns per second (a statistic: the one place Double is allowed).
struct VolatilityEstimate: Sendable, Hashable {
    var variancePerSecond: Double = 0  // the volatility statistic, not money
    var lastPrice: Int128 = 0
    var lastTime: Timestamp = Timestamp(nanoseconds: 0)
    var initialized = false
}
