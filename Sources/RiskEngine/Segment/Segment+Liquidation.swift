/// The liquidation waterfall (RISK.md "Liquidation"): steps per account in account-id order,
/// the insurance fund takes over closed parts at the index, bankruptcy and bad debt.
extension Segment {
    /// Upper bound on steps per account per trigger (termination guarantee).
    static let maxStepsPerAccount = 10_000
    /// Upper bound on rescans after a loss socialization changed other accounts.
    static let maxPasses = 3

    /// Checks every account (a mode change or ramping multiplier moves everyone's MM) with
    /// the division-free scan, then steps the liquidatable ones in account-id order.
    mutating func liquidateAll(now: Timestamp) -> [LiquidationDecision] {
        guard accounts.count > 1 else { return [] }
        return runLiquidations(due: liquidatableAccounts(now: now), now: now)
    }

    /// The full scan with a full valuation per account: the reference the fast scan must
    /// match decision for decision (tests compare the two).
    mutating func liquidateAllByValuation(now: Timestamp) -> [LiquidationDecision] {
        guard accounts.count > 1 else { return [] }
        return runLiquidations(due: liquidatable(among: Array(1..<Int32(accounts.count)), now: now), now: now, byValuation: true)
    }

    func liquidatable(among candidates: [Int32], now: Timestamp) -> [Int32] {
        let context = ValuationContext(segment: self, now: now)
        return candidates.filter { $0 != Self.insurance && isLiquidatable(accounts[Int($0)], context) }
    }

    /// E < MM: simple accounts (settlement only, one priced position) decided by the
    /// division-free quick check; borderline cases (within the two units of rounding) and
    /// other accounts by a full valuation.
    func isLiquidatable(_ account: Account, _ context: ValuationContext) -> Bool {
        if account.isSimple, let p = account.positions.first, context.markets[Int(p.market)].hasPrice {
            let risk = context.markets[Int(p.market)]
            if let decided = Self.quickCheck(settlement: account.settlement, size: p.size, entry: p.entry, price: risk.price, mmf: risk.mmf) {
                return decided
            }
        }
        return safeValuation(account, context)?.isLiquidatable ?? false
    }

    /// Steps every due account in account-id order; when a loss was socialized (other
    /// accounts' equity changed) looks at everyone again, a bounded number of times.
    mutating func runLiquidations(due initial: [Int32], now: Timestamp, byValuation: Bool = false) -> [LiquidationDecision] {
        var decisions: [LiquidationDecision] = []
        var due = initial
        var pass = 0
        while !due.isEmpty && pass < Self.maxPasses {
            pass += 1
            due.sort { accounts[Int($0)].id < accounts[Int($1)].id }
            var rescan = false
            var previous: Int32 = -1
            let passStart = decisions.count
            for index in due where index != previous {
                previous = index
                if liquidateAccount(index, now: now, into: &decisions) { rescan = true }
            }
            settleShortfall(now: now, decisions: &decisions, from: passStart)
            if !rescan || accounts.count <= 1 {
                due = []
            } else if byValuation {
                due = liquidatable(among: Array(1..<Int32(accounts.count)), now: now)
            } else {
                due = liquidatableAccounts(now: now)
            }
        }
        return decisions
    }

    /// The liquidatable holders of the changed markets: a price tick's hot loop. Each
    /// market's `LiquidationWatch` names the candidates (holders whose threshold the price
    /// crossed, plus unindexed and recently changed ones); each gets the exact check. The
    /// result lists the same accounts as `liquidatableHoldersByScan` (maybe repeated, in
    /// another order: `runLiquidations` sorts by id and skips repeats).
    mutating func liquidatableHolders(changed: [Bool], now: Timestamp) -> [Int32] {
        let context = ValuationContext(segment: self, now: now)
        var due: [Int32] = []
        for m in markets.indices where changed[m] {
            let risk = context.markets[m]
            if watches[m].maintenanceFraction != risk.mmf { buildWatch(m, mmf: risk.mmf) }
            watches[m].forEachCandidate(at: risk.price) { index in
                if isLiquidatableHolder(index, market: m, context) { due.append(index) }
            }
        }
        return due
    }

    /// The reference for `liquidatableHolders`: every holder of the changed markets checked
    /// (the linear scan, in holder order).
    func liquidatableHoldersByScan(changed: [Bool], now: Timestamp) -> [Int32] {
        let context = ValuationContext(segment: self, now: now)
        var due: [Int32] = []
        for m in markets.indices where changed[m] {
            for index in markets[m].holders where isLiquidatableHolder(index, market: m, context) { due.append(index) }
        }
        return due
    }

    /// E < MM for a holder of market `m`; false if it no longer holds `m` (a stale entry).
    func isLiquidatableHolder(_ index: Int32, market m: Int, _ context: ValuationContext) -> Bool {
        guard index != Self.insurance, accounts[Int(index)].positionIndex(market: Int32(m)) != nil else { return false }
        return isLiquidatable(accounts[Int(index)], context)
    }

    /// Forgets every market's index (after balances changed outside `commit`).
    mutating func dropWatches() {
        for m in watches.indices { watches[m].drop() }
    }

    /// Indexes market `m`'s holders by liquidation threshold at maintenance fraction `mmf`.
    mutating func buildWatch(_ m: Int, mmf: Int128) {
        var watch = LiquidationWatch()
        swap(&watch, &watches[m])
        watch.drop()
        let holders = markets[m].holders, sizes = markets[m].holderSizes, entries = markets[m].holderEntries
        for slot in holders.indices {
            let index = holders[slot]
            if index == Self.insurance { continue }
            let settlement = accounts[Int(index)].settlement
            let size = sizes[slot], entry = entries[slot]
            let threshold = !accounts[Int(index)].isSimple ? nil : size > 0
                ? LiquidationWatch.longThreshold(settlement: settlement, size: size, entry: entry, mmf: mmf)
                : LiquidationWatch.shortThreshold(settlement: settlement, size: -size, entry: entry, mmf: mmf)
            guard let threshold else {
                watch.unindexed.append(index)
                continue
            }
            if size > 0 {
                watch.longs.append(.init(threshold: threshold, account: index))
            } else {
                watch.shorts.append(.init(threshold: threshold, account: index))
            }
        }
        watch.longs.sort { $0.threshold > $1.threshold || ($0.threshold == $1.threshold && $0.account < $1.account) }
        watch.shorts.sort { $0.threshold < $1.threshold || ($0.threshold == $1.threshold && $0.account < $1.account) }
        watch.maintenanceFraction = mmf
        watches[m] = watch
    }

    /// E < MM for one position and a settlement balance, decided exactly at scale 10^-24
    /// when the rounded comparison cannot differ (`nil`: undecided, value it fully).
    @inline(__always)
    static func quickCheck(settlement: Int128, size: Int128, entry: Int128, price: Int128, mmf: Int128) -> Bool? {
        let (s24, o1) = settlement.multipliedReportingOverflow(by: Fixed.unit2)
        let (pnl, o2) = size.multipliedReportingOverflow(by: price &- entry)
        let (pnl24, o3) = pnl.multipliedReportingOverflow(by: Fixed.unit)
        let (notional, o4) = (size < 0 ? 0 &- size : size).multipliedReportingOverflow(by: price)
        let (mm24, o5) = notional.multipliedReportingOverflow(by: mmf)
        let (e24, o6) = s24.addingReportingOverflow(pnl24)
        let (gap, o7) = e24.subtractingReportingOverflow(mm24)
        if o1 || o2 || o3 || o4 || o5 || o6 || o7 { return nil }
        // Rounded E ≤ exact E and rounded MM ≥ exact MM, each off by < 1 unit (10^16 here).
        if gap < 0 { return true }
        if gap >= 2 * Fixed.unit2 { return false }
        return nil
    }

    func isFreshForLiquidation(_ m: Int, now: Timestamp) -> Bool {
        guard markets[m].index != nil, let time = markets[m].priceTime else { return false }
        return now.nanoseconds(since: time) <= spec.oracle.liquidationMaxAgeSeconds &* 1_000_000_000
    }

    /// Runs steps until E ≥ MM·(1+b) or no position is left. Returns true when a loss was
    /// socialized or the mode changed (other accounts must then be looked at again).
    mutating func liquidateAccount(_ index: Int32, now: Timestamp, into decisions: inout [LiquidationDecision]) -> Bool {
        var b = spec.liquidation.buffer.raw
        var affectsOthers = false
        // Prices and maintenance fractions hold for the whole account unless a step changed
        // the mode (a bankruptcy); open interest moves only initial fractions, unused here.
        var context = ValuationContext(segment: self, now: now)
        for step in 0..<Self.maxStepsPerAccount {
            let account = accounts[Int(index)]
            if !marketLiquidation.isEmpty, !account.positions.isEmpty, let next = try? largestRequirement(account, context) {
                b = marketLiquidation[Int(next.market)].buffer.raw  // the twin: the rules of the market stepped next
            }
            guard let v = safeValuation(account, context),
                let buffered = try? Fixed.mul(v.maintenanceMargin, Fixed.unit + b, .up)
            else { break }
            // Stop once E ≥ MM·(1+b), compared on the exact sums (like every decision).
            let covered = v.exactEquity.compare(times: Fixed.unit, v.exactMaintenance, times: Fixed.unit + b) >= 0
            if step == 0 ? !v.isLiquidatable : covered { break }
            if account.positions.isEmpty {
                if v.equity < 0, let decision = try? settleBankruptcy(index, market: nil, closed: 0, price: 0, before: v, now: now) {
                    affectsOthers = affectsOthers || decision.affectsOthers
                    record(decision.decision, into: &decisions)
                }
                break
            }
            guard let decision = try? liquidationStep(index, valuation: v, buffered: buffered, context: context, now: now) else { break }
            affectsOthers = affectsOthers || decision.affectsOthers
            record(decision.decision, into: &decisions)
            if decision.affectsOthers { context = ValuationContext(segment: self, now: now) }
        }
        return affectsOthers
    }

    private mutating func record(_ decision: LiquidationDecision, into decisions: inout [LiquidationDecision]) {
        decisions.append(decision)
        liquidationLog.append(decision)
        events.append(.liquidation(decision))
        // Exactly `retention` visible; the dropped prefix is compacted away in amortized O(1).
        let keep = max(liquidationRetention, 0)
        if liquidationLog.count - liquidationLogStart > keep { liquidationLogStart = liquidationLog.count - keep }
        if liquidationLogStart > max(keep, 64) {
            liquidationLog.removeFirst(liquidationLogStart)
            liquidationLogStart = 0
        }
    }

    /// The position with the largest maintenance requirement (ties: market id).
    func largestRequirement(_ account: Account, _ context: ValuationContext) throws(AmountError) -> Position {
        var best = account.positions[0]
        var bestMM: Int128 = -1
        for p in account.positions {
            let risk = context.markets[Int(p.market)]
            let price = risk.hasPrice ? risk.price : p.entry
            let mm = try Fixed.mul3(Int128(p.size.magnitude), price, risk.mmf, .up)
            if mm > bestMM || (mm == bestMM && markets[Int(p.market)].id < markets[Int(best.market)].id) {
                best = p
                bestMM = mm
            }
        }
        return best
    }

    private mutating func liquidationStep(
        _ index: Int32, valuation v: Valuation, buffered: Int128, context: ValuationContext, now: Timestamp
    ) throws(AmountError) -> (decision: LiquidationDecision, affectsOthers: Bool) {
        let account = accounts[Int(index)]
        let position = try largestRequirement(account, context)
        let m = Int(position.market)
        guard isFreshForLiquidation(m, now: now) else { throw .outOfRange }
        let price = context.markets[m].price
        let mmf = context.markets[m].mmf
        let q = position.size
        let absQ = Int128(q.magnitude)
        let liquidation = marketLiquidation.isEmpty ? spec.liquidation : marketLiquidation[m]

        // δ = (MM·(1+b) − E) / (P·(MMF·(1+b) − p)), rounded up to 8 digits.
        var delta = absQ
        let onePlusB = Fixed.unit + liquidation.buffer.raw
        let (mmScaled, o1) = v.maintenanceMargin.multipliedReportingOverflow(by: onePlusB)
        let (equityScaled, o2) = v.equity.multipliedReportingOverflow(by: Fixed.unit)
        let (numerator, o3) = mmScaled.subtractingReportingOverflow(equityScaled)
        let fraction = mmf * onePlusB - liquidation.penalty.raw * Fixed.unit
        let (denominator, denominatorOverflow) = price.multipliedReportingOverflow(by: fraction)
        guard !o1, !o2, !o3, numerator > 0 else { throw .outOfRange }  // nothing left to cover
        if !denominatorOverflow, denominator > 0, let computed = try? Amount.mulDiv(numerator, Fixed.unit2, denominator, .up) {
            delta = computed
        }
        let notional = try Fixed.mul(absQ, price, .up)
        if notional < liquidation.minNotional.raw {
            delta = absQ
        } else {
            delta = min(delta, try Fixed.mul(liquidation.maxPortion.raw, absQ, .up))
        }
        delta = min(max(delta, 1), absQ)
        let sign: Int128 = q > 0 ? 1 : -1

        // Bankruptcy price P − E/q, rounded against the account.
        let bankruptcyPrice = max(0, price - (try Amount.mulDiv(v.equity, Fixed.unit, q, q > 0 ? .down : .up)))

        let insuranceBefore = insuranceEquity(context)
        var closedAccount = account
        let accountResidual = try Self.trade(&closedAccount, market: position.market, delta: -sign * delta, price: price)
        var insurance = accounts[Int(Self.insurance)]
        try Self.trade(&insurance, market: position.market, delta: sign * delta, price: price)  // validates first
        commit(index, closedAccount)
        // Trade again on a fresh copy: the commit above may have moved the fund's holder slots.
        insurance = accounts[Int(Self.insurance)]
        let fundResidual = (try? Self.trade(&insurance, market: position.market, delta: sign * delta, price: price)) ?? .zero
        commit(Self.insurance, insurance)
        collectResidual(accountResidual)
        collectResidual(fundResidual)

        // Penalty min(p·δ·P, max(E, 0)) moves to the fund.
        let after = try valuation(accounts[Int(index)], context)  // only its equity is used: prices are unchanged
        let penalty = min(try Fixed.mul3(delta, price, liquidation.penalty.raw, .down), max(after.equity, 0))
        accounts[Int(index)].settlement -= penalty
        accounts[Int(Self.insurance)].settlement += penalty

        let remaining = accounts[Int(index)].size(market: position.market)
        var outcome = (badDebt: Int128(0), socialized: Int128(0), affectsOthers: false)
        if accounts[Int(index)].positions.isEmpty, after.equity - penalty < 0 {
            outcome = try bankruptcy(index, now: now)
        }
        let decision = LiquidationDecision(
            sequence: nextSequence(), segment: spec.id, account: account.id, market: markets[m].id,
            sizeClosed: Amount(fixed: -sign * delta), remainingSize: Amount(fixed: remaining), price: Amount(fixed: price),
            bankruptcyPrice: Amount(fixed: bankruptcyPrice), penalty: Amount(fixed: penalty),
            insuranceFundDelta: Amount(fixed: insuranceEquity(context) - insuranceBefore),
            badDebt: Amount(fixed: outcome.badDebt), socializedLoss: Amount(fixed: outcome.socialized),
            equityBefore: Amount(fixed: v.equity), maintenanceMarginBefore: Amount(fixed: v.maintenanceMargin),
            reason: reason(v, buffered: buffered), timestamp: now)
        return (decision, outcome.affectsOthers)
    }

    private func reason(_ v: Valuation, buffered: Int128) -> String {
        if v.isLiquidatable {
            return "equity \(Amount(fixed: v.equity)) < maintenance margin \(Amount(fixed: v.maintenanceMargin))"
        }
        return "equity \(Amount(fixed: v.equity)) < maintenance margin with buffer \(Amount(fixed: buffered))"
    }

    mutating func nextSequence() -> UInt64 {
        liquidationSequence += 1
        return liquidationSequence
    }
}
