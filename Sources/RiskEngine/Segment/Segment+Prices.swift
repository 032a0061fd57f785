/// The oracle guard (RISK.md "Oracle"): each price of a batch in order, against its market's
/// per-source state; the index is the median of the fresh sources' latest prices.
extension Segment {
    /// `byValuation` runs the reference scans (every holder; whole-segment scans with a full
    /// valuation per account) that tests hold the fast paths to; decisions must not differ.
    /// `regimes: false` leaves out the regime and event check (volatility estimate, mode,
    /// `mode_change`): only the benchmark's baseline tick does (`applyPricesWithoutRegimes`).
    mutating func applyPrices(_ batch: PriceBatch, byValuation: Bool = false, regimes: Bool = true) -> PriceOutcome {
        let now = advance(to: batch.arrival)
        let oracle = spec.oracle
        let maxAgeNs = oracle.maxAgeSeconds &* 1_000_000_000
        var accepted: [AcceptedPrice] = []
        var rejected: [RejectedPrice] = []
        var changed = [Bool](repeating: false, count: markets.count)

        for input in batch.prices {
            func reject(_ reason: PriceRejectReason, _ message: String) {
                rejected.append(RejectedPrice(market: input.market, reason: reason, message: message))
                events.append(.priceRejected(PriceRejectedEvent(
                    segment: spec.id, market: input.market, source: input.source, price: input.price, reason: reason,
                    message: message, timestamp: now)))
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
            if let index = market.index, Self.exceedsJump(price, from: index, oracle.maxJump.raw) {
                // Held, not lost (RISK.md "Oracle"): a confirmation accepts it; alone, one
                // source never moves the index by more than maxJump in one step.
                guard let held = market.held, confirms(held, input, arrival: batch.arrival) else {
                    let keep = market.held.map { h in
                        h.source == input.source && !Self.exceedsJump(price, from: h.price, oracle.maxJump.raw)
                            && batch.arrival.nanoseconds(since: h.timestamp) <= maxAgeNs
                    } ?? false
                    if !keep { market.held = SourcePrice(source: input.source, price: price, timestamp: input.timestamp) }
                    markets[m] = market
                    reject(.priceJump, "price \(input.price) moves more than \(oracle.maxJump) from the index \(Amount(fixed: index)); held until another source confirms it, or '\(input.source)' does at least \(oracle.jumpConfirmSeconds) s later")
                    continue
                }
                // The held price stands as its own source's latest (when it is another one).
                if held.source != input.source {
                    if let k = market.sources.firstIndex(where: { $0.source == held.source }) {
                        if market.sources[k].timestamp < held.timestamp { market.sources[k] = held }
                    } else {
                        let at = market.sources.firstIndex { $0.source > held.source } ?? market.sources.endIndex
                        market.sources.insert(held, at: at)
                    }
                }
                market.held = nil
            }
            let observation = SourcePrice(source: input.source, price: price, timestamp: input.timestamp)
            if let known = market.sources.firstIndex(where: { $0.source == input.source }) {
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
            if regimes { recordVolatility(market: m, price: median, time: newest) }
            changed[m] = true
            accepted.append(AcceptedPrice(market: input.market, indexPrice: Amount(fixed: median)))
        }

        var modeChanged = false
        if regimes {
            updateVolatilityMode(now: now)
            modeChanged = refreshMode(now: now)
        }
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

    /// |p − reference| / reference > maxJump, cross-multiplied exactly.
    static func exceedsJump(_ price: Int128, from reference: Int128, _ maxJump: Int128) -> Bool {
        let move = price > reference ? price - reference : reference - price
        return Fixed.compareProducts(move, Fixed.unit, maxJump, reference) > 0
    }

    /// A price confirms the held one when it is within maxJump of it, the held price is still
    /// fresh, and it comes from another source or from the same source at least
    /// `jumpConfirmSeconds` later.
    func confirms(_ held: SourcePrice, _ input: PriceInput, arrival: Timestamp) -> Bool {
        let oracle = spec.oracle
        guard !Self.exceedsJump(input.price.raw, from: held.price, oracle.maxJump.raw) else { return false }
        guard arrival.nanoseconds(since: held.timestamp) <= oracle.maxAgeSeconds &* 1_000_000_000 else { return false }
        if input.source != held.source { return true }
        return input.timestamp.nanoseconds(since: held.timestamp) >= oracle.jumpConfirmSeconds &* 1_000_000_000
    }
}
