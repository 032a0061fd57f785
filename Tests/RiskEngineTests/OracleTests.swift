import Testing
@testable import RiskEngine

@Suite struct OracleTests {
    func batch(_ prices: [(String, String, Int64, String)], arrival: Int64) -> PriceBatch {
        PriceBatch(prices: prices.map { PriceInput(market: $0.0, price: a($0.1), timestamp: t($0.2), source: $0.3) }, arrival: t(arrival))
    }

    @Test func guardRulesInBatchOrder() {
        var s = makeSegment()
        let out = s.apply(batch([
            ("NOPE", "1", 100, "a"),
            ("X", "0", 100, "a"),
            ("X", "-1", 100, "a"),
            ("X", "100", 107, "a"),   // 7 s ahead, max 5
            ("X", "100", 5, "a"),     // 95 s old, max 30
            ("X", "100", 100, "a"),   // accepted: index 100
            ("X", "101", 100, "a"),   // same timestamp from the same source
            ("X", "126", 101, "a"),   // |126 − 100| / 100 = 0.26 > 0.25
            ("X", "125", 101, "a"),   // exactly 0.25: accepted
        ], arrival: 100))
        #expect(out.rejected.map(\.reason) == [.unknownMarket, .nonPositivePrice, .nonPositivePrice, .futureTimestamp, .stalePrice, .outOfOrder, .priceJump])
        #expect(out.rejected[3].message == "price is 7 s in the future; max 5 s")
        #expect(out.rejected[4].message == "price is 95 s old; max 30 s")
        #expect(out.accepted == [AcceptedPrice(market: "X", indexPrice: a("100")), AcceptedPrice(market: "X", indexPrice: a("125"))])
        #expect(out.mode == .normal)
        let market = s.view().markets[2]
        #expect(market.indexPrice == a("125") && market.priceTime == t(101))
    }

    /// Index = median of fresh sources; an even count takes the mean of the middle two, rounded down.
    @Test func medianOfFreshSources() {
        var s = makeSegment()
        s.apply(batch([("X", "100", 0, "a"), ("X", "101", 0, "b"), ("X", "103", 0, "c")], arrival: 0))
        #expect(s.view().markets[2].indexPrice == a("101"))
        // Source d: four prices 100, 101, 103, 100.00000001 → (100.00000001 + 101) / 2 = 100.500000005 → 100.5
        let out = s.apply(batch([("X", "100.00000001", 1, "d")], arrival: 1))
        #expect(out.accepted.last?.indexPrice == a("100.5"))
        // 40 s later only the new price is fresh (others are 40 s old > 30).
        s.apply(batch([("X", "102", 40, "a")], arrival: 40))
        #expect(s.view().markets[2].indexPrice == a("102"))
        #expect(s.view().markets[2].priceTime == t(40))
    }

    @Test func insufficientSourcesKeepsIndexButStoresPrice() {
        var s = makeSegment(makeSpec(minSources: 2))
        let first = s.apply(batch([("X", "100", 0, "a")], arrival: 0))
        #expect(first.rejected.map(\.reason) == [.insufficientSources])
        #expect(s.view().markets[2].indexPrice == nil)
        let second = s.apply(batch([("X", "102", 1, "b")], arrival: 1))
        #expect(second.accepted == [AcceptedPrice(market: "X", indexPrice: a("101"))])
        // The stored price from source a still counts for out-of-order.
        #expect(s.apply(batch([("X", "100", 0, "a")], arrival: 2)).rejected.map(\.reason) == [.outOfOrder])
    }

    @Test func oneSegmentsPricesNeverTouchAnother() {
        var a1 = makeSegment(makeSpec(id: "a")), b1 = makeSegment(makeSpec(id: "b"))
        let hashB = b1.stateHash
        a1.apply(batch([("X", "100", 0, "a")], arrival: 0))
        #expect(b1.stateHash == hashB)
    }
}
