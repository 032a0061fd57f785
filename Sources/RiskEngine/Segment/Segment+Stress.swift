/// Stress scenarios (RISK.md "Stress and contagion") run on a copy of a segment through the
/// same liquidation code: prices are set directly, bypassing the oracle guard.
extension Segment {
    /// Sets each named market's index to the given price as of `arrival` (fresh for
    /// liquidation), then re-evaluates the mode and runs liquidations. Meant for copies:
    /// it is not a journaled command. Markets are applied in id order.
    public mutating func applyShock(prices: [String: Amount], arrival: Timestamp) throws(EngineError) -> [LiquidationDecision] {
        var slots: [(Int, Amount)] = []
        for id in prices.keys.sorted() {
            guard let slot = marketSlot(id) else { throw .unknownMarket(id) }
            guard let price = prices[id], price.isPositive else {
                throw EngineError(.invalid, code: "invalid_price", message: "shocked price of '\(id)' must be positive")
            }
            slots.append((Int(slot), price))
        }
        let now = advance(to: arrival)
        for (m, price) in slots {
            markets[m].index = price.raw
            markets[m].priceTime = now
        }
        refreshMode(now: now)
        return liquidateAll(now: now)
    }

    /// Index price of a market, if it has one (e.g. to turn a relative shock into a price).
    public func indexPrice(market: String) -> Amount? {
        marketSlot(market).flatMap { markets[Int($0)].index }.map { Amount(fixed: $0) }
    }
}
