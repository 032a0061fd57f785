import Testing
@testable import RiskEngine

/// RISK.md "Oracle": a jump beyond maxJump (0.25) is held until a second price confirms it.
@Suite struct OracleLivenessTests {
    @Test func jumpConfirmedByASecondSource() {
        var s = makeSegment()
        s.price("X", "100", at: 0)
        #expect(s.price("X", "50", at: 1).rejected.first?.reason == .priceJump)
        #expect(s.indexPrice(market: "X") == a("100"))
        let confirmed = s.price("X", "52", at: 2, source: "feed-b")
        #expect(confirmed.accepted.count == 1)
        // The held 50 stands for feed-a: the index is the median of 50 and 52.
        #expect(s.indexPrice(market: "X") == a("51"))
    }

    @Test func jumpConfirmedBySameSourceAfterTheDelay() {
        var s = makeSegment()
        s.price("X", "100", at: 0)
        s.price("X", "50", at: 1)
        #expect(s.price("X", "51", at: 10).rejected.first?.reason == .priceJump)  // 9 s < jumpConfirmSeconds
        #expect(s.indexPrice(market: "X") == a("100"))
        #expect(s.price("X", "51", at: 11).accepted.count == 1)  // 10 s after the held price
        #expect(s.indexPrice(market: "X") == a("51"))
        // The confirmed crash entered the volatility estimate as one return.
        #expect(s.view().markets[2].volatility > .zero)
    }

    /// Alone and within jumpConfirmSeconds, a source's far prices never move the index at all,
    /// so never by more than maxJump in one step.
    @Test(arguments: [["50", "49", "40", "60"], ["200", "190", "400"], ["10", "10", "10"]])
    func loneSourceCannotMoveTheIndexBeyondMaxJump(prices: [String]) {
        var s = makeSegment()
        s.price("X", "100", at: 0)
        for (i, price) in prices.enumerated() {
            let before = s.indexPrice(market: "X")!
            s.price("X", price, at: Int64(1 + 2 * i))
            let after = s.indexPrice(market: "X")!
            let move = (try! after - before).magnitude
            #expect(move <= (try! before.times(a("0.25"), .up)))
        }
        #expect(s.indexPrice(market: "X") == a("100"))
    }

    @Test func rejectedPricesAreEvents() {
        var s = makeSegment()
        s.price("X", "100", at: 0)
        _ = s.takeEvents()
        s.price("X", "50", at: 1)
        let events = s.takeEvents()
        guard case .priceRejected(let event)? = events.first else { Issue.record("no event"); return }
        #expect(event.source == "feed-a" && event.price == a("50") && event.reason == .priceJump)
    }
}
