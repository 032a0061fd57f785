/// The oracle guard (RISK.md "Oracle"): each price of a batch in order, against its market's
/// per-source state; the index is the median of the fresh sources' latest prices.
extension Segment {
    /// `byValuation` runs the reference scans (every holder; whole-segment scans with a full
    /// valuation per account) that tests hold the fast paths to; decisions must not differ.
    mutating func applyPrices(_ batch: PriceBatch, byValuation: Bool = false) -> PriceOutcome {
        let now = advance(to: batch.arrival)
        let oracle = spec.oracle
        let maxAgeNs = oracle.maxAgeSeconds &* 1_000_000_000
        var accepted: [AcceptedPrice] = []
        var rejected: [RejectedPrice] = []
        var changed = [Bool](repeating: false, count: markets.count)

        for input in batch.prices {
            func reject(_ reason: PriceRejectReason, _ message: String) {
                rejected.append(RejectedPrice(market: input.market, reason: reason, message: message))
            }
            guard let slot = marketIndex[input.market] else {
                reject(.unknownMarket, "market '\(input.market)' does not exist in this segment")
                continue
            }
            let m = Int(slot)
            let price = input.price.raw
            guard price > 0 else {
                reject(.nonPositivePrice, "price must be positive")
                continue
            }
            let ahead = input.timestamp.nanoseconds(since: batch.arrival)
            if ahead > oracle.maxFutureSkewSeconds &* 1_000_000_000 {
                reject(.futureTimestamp, "price is \(ahead / 1_000_000_000) s in the future; max \(oracle.maxFutureSkewSeconds) s")
                continue
            }
            let age = batch.arrival.nanoseconds(since: input.timestamp)
            if age > maxAgeNs {
                reject(.stalePrice, "price is \(age / 1_000_000_000) s old; max \(oracle.maxAgeSeconds) s")
                continue
            }
            var market = markets[m]
            let known = market.sources.firstIndex { $0.source == input.source }
            if let known, input.timestamp <= market.sources[known].timestamp {
                reject(.outOfOrder, "price is not newer than the last accepted one from source '\(input.source)'")
                continue
            }
            if let index = market.index {
                // |p − index| / index > maxJump, cross-multiplied exactly.
                let move = price > index ? price - index : index - price
                if Fixed.compareProducts(move, Fixed.unit, oracle.maxJump.raw, index) > 0 {
                    reject(.priceJump, "price \(input.price) moves more than \(oracle.maxJump) from the index \(Amount(fixed: index))")
                    continue
                }
            }
            let observation = SourcePrice(source: input.source, price: price, timestamp: input.timestamp)
            if let known {
                market.sources[known] = observation
            } else {
                let at = market.sources.firstIndex { $0.source > input.source } ?? market.sources.endIndex
                market.sources.insert(observation, at: at)
            }
            var fresh: [Int128] = []
            var newest = input.timestamp
            for source in market.sources where batch.arrival.nanoseconds(since: source.timestamp) <= maxAgeNs {
                fresh.append(source.price)
                newest = max(newest, source.timestamp)
            }
            guard fresh.count >= oracle.minSources else {
                markets[m] = market
                reject(.insufficientSources, "\(fresh.count) fresh source(s); the index needs \(oracle.minSources)")
                continue
            }
            fresh.sort()
            let middle = fresh.count / 2
            let median = fresh.count % 2 == 1 ? fresh[middle] : Amount.divide(fresh[middle - 1] + fresh[middle], by: 2, .down)
            market.index = median
            market.priceTime = newest
            markets[m] = market
            recordVolatility(market: m, price: median, time: newest)
            changed[m] = true
            accepted.append(AcceptedPrice(market: input.market, indexPrice: Amount(fixed: median)))
        }

        updateVolatilityMode(now: now)
        let modeChanged = refreshMode(now: now)
        let liquidations: [LiquidationDecision]
        // A mode change or ramping multiplier moves everyone's MM, a collateral price anyone's
        // E: scan every account (the fast scan decides exactly like full valuations).
        if modeChanged || isRamping(at: now) || collateralAssets.contains(where: { changed[Int($0.priceMarket)] }) {
            liquidations = byValuation ? liquidateAllByValuation(now: now) : liquidateAll(now: now)
        } else if changed.contains(true) {
            let due = byValuation ? liquidatableHoldersByScan(changed: changed, now: now) : liquidatableHolders(changed: changed, now: now)
            liquidations = runLiquidations(due: due, now: now, byValuation: byValuation)
        } else {
            liquidations = []
        }
        return PriceOutcome(accepted: accepted, rejected: rejected, liquidations: liquidations, mode: mode)
    }
}
