/// The decision a fill would get, with everything `apply` needs to commit it.
struct FillPlan: Sendable {
    var decision: RiskDecision
    /// The account as the answer shows it: before the fill when rejected, after it when
    /// accepted (`nil` when the caller builds its own, see `summarize`).
    var summary: MarginSummary?
    /// The account after the fill when accepted.
    var account: Account?
    var fee: Int128 = 0
    /// The fill's rounding residual, for the segment (`collectResidual`).
    var residual = ExactValue.zero
    /// The account's index when it already exists.
    var index: Int32?
    /// The post-fill valuation context and the account's valuation in it (reused by
    /// `apply` when the mode did not change).
    var context: ValuationContext?
    var valuation: Valuation?
    /// Accepted but left below MM (possible for a risk-reducing fill): apply will liquidate.
    var liquidatesAfter = false
}

extension Segment {
    /// RISK.md "Fills". Risk-reducing iff the new size has the old sign (or is zero) and is
    /// smaller in magnitude; opening, increasing and flipping are risk-increasing.
    /// `summarize: false` skips the accepted summary (apply builds its own after committing).
    func planFill(_ fill: FillCommand, summarize: Bool = true) throws(EngineError) -> FillPlan {
        // Known accounts passed the id check when they were created (one lookup serves both).
        let existingIndex = accountIndex[fill.account]
        if existingIndex == nil || existingIndex == Self.insurance { try Self.validateAccountId(fill.account) }
        guard let marketSlot = marketSlot(fill.market) else { throw .unknownMarket(fill.market) }
        guard !fill.size.isZero else { throw EngineError(.invalid, code: "invalid_size", message: "size must not be zero") }
        guard fill.price.isPositive else { throw EngineError(.invalid, code: "invalid_price", message: "price must be positive") }
        guard !fill.fee.isNegative else { throw EngineError(.invalid, code: "invalid_fee", message: "fee must not be negative") }
        do {
            return try planFill(fill, market: Int(marketSlot), account: existingIndex, summarize: summarize)
        } catch {
            throw .outOfRange
        }
    }

    @inline(__always)  // one struct copy fewer per fill
    private func planFill(_ fill: FillCommand, market m: Int, account existingIndex: Int32?, summarize: Bool) throws(AmountError) -> FillPlan {
        let now = now(for: fill.arrival)
        var context = ValuationContext(segment: self, now: now)
        let existing = existingIndex.map { accounts[Int($0)] }
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
        let oi = openInterest(market: m, old: old, new: new)
        if !reducing {
            if mode == .reduceOnly { return reject(.reduceOnly, "segment '\(spec.id)' accepts only risk-reducing fills") }
            guard markets[m].index != nil, let time = markets[m].priceTime else {
                return reject(.stalePrice, "market '\(fill.market)' has no index price")
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
        let residual = try Self.trade(&after, market: Int32(m), delta: fill.size.raw, price: fill.price.raw)
        after.settlement = try Fixed.checked(after.settlement - fill.fee.raw)
        _ = try Fixed.checked(accounts[Int(Self.insurance)].settlement + fill.fee.raw)

        var contextAfter = context
        if spec.markets[m].openInterestScaling != nil {  // the fill's own OI change moves the scaled IMF
            contextAfter.markets[m].imf = try effectiveIMF(
                spec.markets[m], openInterest: max(oi.long, oi.short),
                price: context.markets[m].price, multiplier: initialMultiplier)
        }
        let vAfter = try valuation(after, contextAfter)
        var ok = vAfter.meetsInitial  // exact E ≥ IM (RISK.md), not the rounded figures
        if !ok && reducing {
            // dYdX v4: an undercollateralized account may reduce if MM does not rise and E/MM does not fall.
            let vBefore = try valuation(before, context)
            if vAfter.maintenanceMargin <= vBefore.maintenanceMargin {
                ok = vAfter.maintenanceMargin == 0
                    || Fixed.compareProducts(vAfter.equity, vBefore.maintenanceMargin, vBefore.equity, vAfter.maintenanceMargin) >= 0
            }
        }
        guard ok else {
            return reject(.insufficientMargin,
                "equity \(Amount(fixed: vAfter.equity)) < initial margin \(Amount(fixed: vAfter.initialMargin)) after the fill")
        }
        return FillPlan(
            decision: .accepted, summary: summarize ? summary(of: after, context: contextAfter, valuation: vAfter) : nil, account: after,
            fee: fill.fee.raw, residual: residual, index: existingIndex, context: contextAfter, valuation: vAfter, liquidatesAfter: vAfter.isLiquidatable)
    }

    @inline(__always)  // apply(_:) is only this: spare the FillOutcome copy between them
    mutating func applyFill(_ fill: FillCommand) throws(EngineError) -> FillOutcome {
        let plan = try planFill(fill, summarize: false)
        guard plan.decision.isAccepted, let after = plan.account else {
            return FillOutcome(decision: plan.decision, account: plan.summary ?? emptySummary(fill.account))
        }
        let now = advance(to: fill.arrival)
        let index: Int32
        if let known = plan.index { index = known } else { index = accountSlot(fill.account) }
        commit(index, after)
        accounts[Int(Self.insurance)].settlement += plan.fee  // range checked by the plan
        collectResidual(plan.residual)
        let changed = refreshMode(now: now)
        // A ramping MM multiplier is caught up by the next price batch (which scans everyone);
        // a fill re-checks only its own account unless the mode itself changed.
        var liquidations: [LiquidationDecision] = []
        // The plan's post-fill context is still exact unless the mode (multipliers) changed.
        let context: ValuationContext
        let valuation: Valuation?
        let account = accounts[Int(index)]
        if !changed, let planned = plan.context {
            context = planned
            valuation = plan.valuation
        } else {
            context = ValuationContext(segment: self, now: now)
            valuation = safeValuation(account, context)
        }
        if changed {
            liquidations = liquidateAll(now: now)
        } else if valuation?.isLiquidatable == true {
            liquidations = runLiquidations(due: [index], now: now)
        }
        let result: MarginSummary
        if liquidations.isEmpty, let valuation {
            result = summary(of: account, context: context, valuation: valuation)
        } else {
            result = summary(of: accounts[Int(index)], context: ValuationContext(segment: self, now: now))
        }
        return FillOutcome(decision: .accepted, account: result, liquidations: liquidations)
    }
}
