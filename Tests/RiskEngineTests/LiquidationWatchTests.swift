import PropertyBased
import Testing
@testable import RiskEngine

@Suite struct LiquidationWatchTests {
    /// The thresholds are exactly where the quick check turns: at the threshold the holder is
    /// decided safe, one tick worse for it (lower for a long, higher for a short) it is not.
    @Test func thresholdsAreExactlyWhereTheQuickCheckTurns() async {
        await propertyCheck(count: 400, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SeededRandom(state: UInt64(seed))
            let mmf = Int128.random(in: 1...(Fixed.unit / 2), using: &rng)
            let entry = Int128.random(in: 1...(100_000 * Fixed.unit), using: &rng)
            let magnitude = Int128.random(in: 1...(1_000 * Fixed.unit), using: &rng)
            let notional = magnitude * entry / Fixed.unit
            let settlement = Int128.random(in: -(notional / 10)...(notional / 2 + 1), using: &rng)
            if Bool.random(using: &rng) {
                guard let threshold = LiquidationWatch.longThreshold(settlement: settlement, size: magnitude, entry: entry, mmf: mmf),
                    threshold > 1
                else { return }
                let at = Segment.quickCheck(settlement: settlement, size: magnitude, entry: entry, price: threshold, mmf: mmf)
                let below = Segment.quickCheck(settlement: settlement, size: magnitude, entry: entry, price: threshold - 1, mmf: mmf)
                #expect(at == false, "seed \(seed)")
                #expect(below != false, "seed \(seed)")
            } else {
                guard let threshold = LiquidationWatch.shortThreshold(settlement: settlement, size: magnitude, entry: entry, mmf: mmf),
                    threshold > 0
                else { return }
                let at = Segment.quickCheck(settlement: settlement, size: -magnitude, entry: entry, price: threshold, mmf: mmf)
                let above = Segment.quickCheck(settlement: settlement, size: -magnitude, entry: entry, price: threshold + 1, mmf: mmf)
                #expect(at == false, "seed \(seed)")
                #expect(above != false, "seed \(seed)")
            }
        }
    }

    /// Fills, deposits, withdrawals and ticks interleaved at random on a book kept near its
    /// margins: the indexed tick liquidates exactly what checking every holder does.
    @Test func indexedTicksDecideLikeCheckingEveryHolder() async {
        await propertyCheck(count: 30, input: Gen.int(in: 0...Int.max)) { seed in
            var rng = SeededRandom(state: UInt64(seed))
            var prices: [String: Int128] = ["BTC-USD": 30_000 * Fixed.unit, "X": 100 * Fixed.unit]
            let markets = ["BTC-USD", "X"]
            var fast = makeSegment()
            for m in markets { fast.price(m, Amount(uncheckedRaw: prices[m]!).formatted(), at: 0) }
            fast.price("ETH-USD", "2000", at: 0)
            var reference = fast
            let accounts = Int.random(in: 20...160, using: &rng)
            var time: Int64 = 0
            func both(_ body: (inout Segment) -> Void) {
                body(&fast)
                body(&reference)
            }
            for step in 0..<Int.random(in: 200...600, using: &rng) {
                let id = "acct\(Int.random(in: 0..<accounts, using: &rng))"
                switch Int.random(in: 0..<10, using: &rng) {
                case 0..<5:  // a fill of up to ~19x a 1000-dollar budget
                    let m = markets.randomElement(using: &rng)!
                    var size = Int128.random(in: 1...(Int128(19_000) * Fixed.unit2 / prices[m]!), using: &rng)
                    if Bool.random(using: &rng) { size = -size }
                    let fill = FillCommand(
                        account: id, market: m, size: Amount(uncheckedRaw: size), price: Amount(uncheckedRaw: prices[m]!), arrival: t(time))
                    both { _ = try? $0.apply(fill) }
                case 5..<7:
                    let amount = Int128.random(in: -(800 * Fixed.unit)...(1_500 * Fixed.unit), using: &rng)
                    guard amount != 0 else { continue }
                    let movement = CollateralCommand(account: id, asset: "USDC", amount: Amount(uncheckedRaw: amount), arrival: t(time))
                    both { _ = try? $0.apply(movement) }
                default:  // a tick within ±4% on one market, 1–20 s later
                    time += Int64.random(in: 1...20, using: &rng)
                    let m = markets.randomElement(using: &rng)!
                    let old = prices[m]!
                    prices[m] = max(old + Int128.random(in: -(old / 25)...(old / 25), using: &rng), Fixed.unit)
                    let batch = PriceBatch(
                        prices: [PriceInput(market: m, price: Amount(uncheckedRaw: prices[m]!), timestamp: t(time), source: "feed-a")],
                        arrival: t(time))
                    let a = fast.apply(batch)
                    let b = reference.applyPrices(batch, byValuation: true)
                    #expect(a.liquidations == b.liquidations, "seed \(seed) step \(step)")
                }
                guard fast.stateHash == reference.stateHash else {
                    Issue.record("state differs: seed \(seed) step \(step)")
                    return
                }
            }
        }
    }

    /// A tick on a healthy book looks at no holder; a changed account is looked at until the
    /// next build; a crash looks at the holders it crosses.
    @Test func aTickLooksOnlyAtHoldersItCrosses() throws {
        var segment = makeSegment()
        segment.price("X", "100", at: 0)
        for i in 0..<500 {
            try segment.deposit("h\(i)", "1000")
            // 10x long or short: liquidatable near −7% (longs) or +7% (shorts); far from it here.
            try segment.fill("h\(i)", "X", i % 2 == 0 ? "100" : "-100", "100", at: 0)
        }
        func candidates(at price: String) -> Int {
            var count = 0
            segment.watches[2].forEachCandidate(at: a(price).raw) { _ in count += 1 }
            return count
        }
        segment.price("X", "100.5", at: 1)  // builds the index
        #expect(segment.watches[2].isBuilt)
        #expect(candidates(at: "100.5") == 0)
        #expect(candidates(at: "99") == 0)
        try segment.fill("h0", "X", "-50", "100.5", at: 1)
        #expect(candidates(at: "100.5") == 1)  // h0 changed since the build
        #expect(candidates(at: "92") == 250 + 1)  // every other long crossed, plus h0
        let crash = segment.price("X", "92", at: 2)
        #expect(Set(crash.liquidations.map(\.account)).count == 249)  // h0 halved its size
    }
}
