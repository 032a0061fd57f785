import Testing
@testable import RiskEngine

/// The benchmark's baseline tick (issue #18) leaves out exactly the regime and event check:
/// same prices and decisions, but no volatility, no mode change, no event.
@Suite struct BaselineTickTests {
    @Test func baselineTickSkipsOnlyTheRegimeCheck() throws {
        var checked = makeSegment(makeSpec(volatility: ["0.5", "1", "2"]))
        try checked.deposit("alice", "10000")
        checked.price("X", "100", at: 0)
        try checked.fill("alice", "X", "10", "100", at: 1)
        var baseline = checked
        let moves = ["120", "100", "120", "100"]
        for (i, price) in moves.enumerated() {
            let at = Int64(2 + i)
            let batch = PriceBatch(prices: [PriceInput(market: "X", price: a(price), timestamp: t(at), source: "feed-a")], arrival: t(at))
            let with = checked.apply(batch)
            let without = baseline.applyPricesWithoutRegimes(batch)
            #expect(with.accepted.count == 1 && without.accepted.count == 1 && with.liquidations.isEmpty && without.liquidations.isEmpty)
        }
        // The violent moves raised the mode on the checked segment and produced its event.
        #expect(checked.currentMode > .normal)
        #expect(checked.takeEvents().contains { $0.type == "mode_change" })
        #expect(baseline.currentMode == .normal && baseline.takeEvents().isEmpty)
        let market = try #require(baseline.view().markets.first { $0.id == "X" })
        #expect(market.volatility == a("0"))
    }
}
