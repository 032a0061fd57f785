/// The decision a fill would get, with everything `apply` needs to commit it.
struct FillPlan: Sendable {
    var decision: RiskDecision
    var summary: MarginSummary
    /// The account after the fill when accepted.
    var account: Account?
    var fee: Int128 = 0
}

extension Segment {
    /// RISK.md "Fills". Risk-reducing iff the new size has the old sign (or is zero) and is
    /// smaller in magnitude; opening, increasing and flipping are risk-increasing.
    func planFill(_ fill: FillCommand) throws(EngineError) -> FillPlan {
        try Self.validateAccountId(fill.account)
        guard let marketSlot = marketIndex[fill.market] else { throw .unknownMarket(fill.market) }
        guard !fill.size.isZero else { throw EngineError(.invalid, code: "invalid_size", message: "size must not be zero") }
        guard fill.price.isPositive else { throw EngineError(.invalid, code: "invalid_price", message: "price must be positive") }
        guard !fill.fee.isNegative else { throw EngineError(.invalid, code: "invalid_fee", message: "fee must not be negative") }
        do {
            return try planFill(fill, market: Int(marketSlot))
        } catch {
            throw .outOfRange
        }
    }

    private func planFill(_ fill: FillCommand, market m: Int) throws(AmountError) -> FillPlan {
        let now = now(for: fill.arrival)
        var context = ValuationContext(segment: self, now: now)
        let existing = accountIndex[fill.account].map { accounts[Int($0)] }
        let before = existing ?? Account(id: fill.account)
        let old = before.size(market: Int32(m))
        let new = try Fixed.checked(old + fill.size.raw)
        let reducing = old != 0 && (new == 0 || (new > 0) == (old > 0)) && new.magnitude < old.magnitude

        func reject(_ reason: RejectReason, _ message: String) -> FillPlan {
            let current = existing.map { summary(of: $0, context: ValuationContext(segment: self, now: now)) }
                ?? emptySummary(fill.account)
            return FillPlan(decision: .rejected(reason, message: message), summary: current, account: nil)
        }

        if mode == .halted { return reject(.segmentHalted, "segment '\(spec.id)' is halted") }
        let market = markets[m]
        let oi = openInterest(market: m, old: old, new: new)
        if !reducing {
            if mode == .reduceOnly { return reject(.reduceOnly, "segment '\(spec.id)' accepts only risk-reducing fills") }
            guard market.index != nil, let time = market.priceTime else {
                return reject(.stalePrice, "market '\(market.id)' has no index price")
            }
            let age = now.nanoseconds(since: time)
            if age > spec.oracle.maxAgeSeconds &* 1_000_000_000 {
                return reject(.stalePrice, "index price is \(age / 1_000_000_000) s old; max \(spec.oracle.maxAgeSeconds) s")
            }
            let cap = spec.markets[m].maxOpenInterest.raw
            if max(oi.long, oi.short) > cap {
                return reject(.openInterestCap, "open interest would be \(Amount(fixed: max(oi.long, oi.short))); max \(Amount(fixed: cap))")
            }
        }
        if !context.markets[m].hasPrice {
            // Only a reducing fill gets here without an index: value it at the fill price.
            context.markets[m].price = fill.price.raw
            context.markets[m].hasPrice = true
        }
        var after = before
        try Self.trade(&after, market: Int32(m), delta: fill.size.raw, price: fill.price.raw)
        after.settlement = try Fixed.checked(after.settlement - fill.fee.raw)
        _ = try Fixed.checked(accounts[Int(Self.insurance)].settlement + fill.fee.raw)

        var contextAfter = context
        contextAfter.markets[m].imf = try effectiveIMF(
            spec.markets[m], openInterest: max(oi.long, oi.short),
            price: context.markets[m].price, multiplier: initialMultiplier)
        let vAfter = try valuation(after, contextAfter)
        var accepted = vAfter.equity >= vAfter.initialMargin
        if !accepted && reducing {
            // dYdX v4: an undercollateralized account may reduce if MM does not rise and E/MM does not fall.
            let vBefore = try valuation(before, context)
            if vAfter.maintenanceMargin <= vBefore.maintenanceMargin {
                accepted = vAfter.maintenanceMargin == 0
                    || Fixed.compareProducts(vAfter.equity, vBefore.maintenanceMargin, vBefore.equity, vAfter.maintenanceMargin) >= 0
            }
        }
        guard accepted else {
            return reject(.insufficientMargin,
                "equity \(Amount(fixed: vAfter.equity)) < initial margin \(Amount(fixed: vAfter.initialMargin)) after the fill")
        }
        return FillPlan(decision: .accepted, summary: summary(of: after, context: contextAfter), account: after, fee: fill.fee.raw)
    }

    mutating func applyFill(_ fill: FillCommand) throws(EngineError) -> FillOutcome {
        let plan = try planFill(fill)
        guard plan.decision.isAccepted, let after = plan.account else {
            return FillOutcome(decision: plan.decision, account: plan.summary)
        }
        let now = advance(to: fill.arrival)
        let index = accountSlot(fill.account)
        commit(index, after)
        accounts[Int(Self.insurance)].settlement += plan.fee  // range checked by the plan
        let changed = refreshMode(now: now)
        let liquidations: [LiquidationDecision]
        if changed || isRamping(at: now) {
            liquidations = liquidateAll(now: now)
        } else {
            liquidations = liquidate(candidates: [index], now: now)
        }
        let result = summary(of: accounts[Int(index)], context: ValuationContext(segment: self, now: now))
        return FillOutcome(decision: .accepted, account: result, liquidations: liquidations)
    }
}
