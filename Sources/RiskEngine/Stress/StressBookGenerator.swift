/// A seeded, realistic book for stress runs and benchmarks (`generated:ACCOUNTS:SEGMENTS:SEED`):
/// the same arguments give the same book, bit for bit, on every platform.
///
/// Each account trades in 1–3 segments (50% / 35% / 15%); per segment it deposits
/// 200–100k USDC (skewed small), sometimes part of it in a segment's collateral asset, and
/// opens 1–2 positions at a leverage skewed low (most 1–3×, a tail up to 80% of the maximum),
/// entered within ±5% of the current index (so books carry unrealized PnL). An account active
/// in two segments that list ETH-USD is, half the time, a basis trader: long ETH in one,
/// short in the other, opened up to 15% lower (a profit in one segment, a loss in the other:
/// what segmentation cannot net, RISK.md "collateral required"). Every position goes through the live fill checks; a refused fill is
/// retried at the index, then skipped. Insurance funds are 25 USDC per segment account.
public struct StressBookGenerator: Sendable {
    public var accounts: Int
    public var segments: Int
    public var seed: UInt64
    /// Index prices are set, and fills made, at this time.
    public var time: Timestamp

    public static let maxSegments = 64

    public init(accounts: Int, segments: Int, seed: UInt64, time: Timestamp = Timestamp(seconds: 1_767_225_600)) {
        self.accounts = accounts
        self.segments = min(max(segments, 1), Self.maxSegments)
        self.seed = seed
        self.time = time
    }

    /// Parses `generated:ACCOUNTS:SEGMENTS:SEED` (nil if malformed or out of range).
    public init?(book text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "generated", let n = Int(parts[1]), let s = Int(parts[2]), let seed = UInt64(parts[3]),
            n >= 1, n <= 10_000_000, s >= 1, s <= Self.maxSegments
        else { return nil }
        self.init(accounts: n, segments: s, seed: seed)
    }

    public func generate() -> [Segment] {
        var rng = SplitMix64(seed: seed)
        let catalog = StressBookCatalog.entries(segments)
        // Pass 1: which segments each account trades in (funds are sized from the counts).
        var membership: [[Int]] = []
        membership.reserveCapacity(accounts)
        var counts = [Int](repeating: 0, count: catalog.count)
        for _ in 0..<accounts {
            let roll = rng.below(100)
            let wanted = min(roll < 50 ? 1 : roll < 85 ? 2 : 3, catalog.count)
            var chosen: [Int] = []
            while chosen.count < wanted {
                let s = rng.below(catalog.count)
                if !chosen.contains(s) { chosen.append(s) }
            }
            chosen.sort()
            for s in chosen { counts[s] += 1 }
            membership.append(chosen)
        }
        var book = catalog.indices.map { s in
            try! Segment(spec: StressBookCatalog.spec(catalog[s], fund: Int128(max(counts[s], 1)) * 25 * Fixed.unit))  // catalog specs are valid
        }
        for s in book.indices {
            let prices = catalog[s].markets.map { PriceInput(market: $0.id, price: Amount(fixed: $0.price), timestamp: time, source: "generator") }
            book[s].apply(PriceBatch(prices: prices, arrival: time))
        }
        let fillTime = time.adding(seconds: 1)
        for (n, chosen) in membership.enumerated() {
            let id = Self.accountId(n)
            let ethSegments = chosen.filter { s in catalog[s].markets.contains { $0.id == "ETH-USD" } }
            let basis = ethSegments.count >= 2 && rng.chance(50)
            for s in chosen {
                var leg: (market: Int, long: Bool)?
                if basis, let k = ethSegments.firstIndex(of: s), k < 2 {
                    leg = (catalog[s].markets.firstIndex { $0.id == "ETH-USD" }!, k == 0)
                }
                Self.open(&book[s], catalog[s], account: id, leg: leg, at: fillTime, rng: &rng)
            }
        }
        return book
    }

    static func accountId(_ n: Int) -> String {
        let digits = String(n)
        return "acct-" + String(repeating: "0", count: max(0, 7 - digits.count)) + digits
    }

    /// Deposits and positions of one account in one segment.
    static func open(_ segment: inout Segment, _ entry: StressBookCatalog.Entry, account: String, leg: (market: Int, long: Bool)?, at time: Timestamp, rng: inout SplitMix64) {
        // Deposit: 200 + a·b with a < 1000, b ≤ 100 → mostly small, up to ~100k USDC.
        let usd = Int128(200 + rng.below(1000) * (rng.below(100) + 1))
        var settlement = usd * Fixed.unit
        if !entry.collateral.isEmpty, rng.chance(25) {
            // Half of the value in a collateral asset, at the reference price.
            let rule = entry.collateral[rng.below(entry.collateral.count)]
            let price = entry.markets.first { $0.id == rule.market }!.price
            let amount = (settlement / 2) * Fixed.unit / price
            if amount > 0, (try? segment.apply(CollateralCommand(account: account, asset: rule.asset, amount: Amount(fixed: amount), arrival: time))) != nil {
                settlement -= settlement / 2
            }
        }
        _ = try? segment.apply(CollateralCommand(account: account, asset: "USDC", amount: Amount(fixed: settlement), arrival: time))

        let legs: [(market: Int, long: Bool)]
        let basis = leg != nil
        if let leg {
            legs = [leg]
        } else {
            let first = rng.below(entry.markets.count)
            var list = [(market: first, long: rng.chance(55))]
            if entry.markets.count > 1, rng.chance(30) {
                list.append((market: (first + 1 + rng.below(entry.markets.count - 1)) % entry.markets.count, long: rng.chance(55)))
            }
            legs = list
        }
        for leg in legs {
            let market = entry.markets[leg.market]
            // Leverage in thousandths: 1× + (80% of max − 1×)·u³, u uniform in [0, 1).
            let maxLeverage = 800_000 / market.imf  // thousandths of 80% of 1/IMF
            let u = Int128(rng.below(1000))
            let leverage = 1000 + Int128(max(maxLeverage - 1000, 0)) * u * u * u / 1_000_000_000
            let notional = usd * Fixed.unit * leverage / 1000 / Int128(legs.count)
            var size = notional * Fixed.unit / market.price
            size -= size % 10_000  // 4 decimals
            guard size > 0 else { continue }
            // The book carries unrealized PnL: entries within ±5% of the index; a basis trade
            // was opened when ETH stood up to 15% lower (its long leg in profit, its short at a loss).
            let offset = basis ? -Int128(rng.below(151)) : Int128(rng.below(101)) - 50
            let entryPrice = max(market.price + market.price * offset / 1000, 1)
            let signed = leg.long ? size : -size
            for price in [entryPrice, market.price] {
                let fill = FillCommand(account: account, market: market.id, size: Amount(fixed: signed), price: Amount(fixed: price), arrival: time)
                if let outcome = try? segment.apply(fill), outcome.decision.isAccepted { break }
            }
        }
    }
}
