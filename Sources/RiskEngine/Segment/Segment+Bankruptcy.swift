/// Bankruptcy and bad debt (RISK.md "Liquidation" step 4).
extension Segment {
    /// A bankrupt account with no position but negative equity (e.g. its collateral fell).
    mutating func settleBankruptcy(
        _ index: Int32, market: Int?, closed: Int128, price: Int128, before v: Valuation, now: Timestamp
    ) throws(AmountError) -> (decision: LiquidationDecision, affectsOthers: Bool) {
        let insuranceBefore = insuranceEquity(now: now)
        let outcome = try bankruptcy(index, now: now)
        let decision = LiquidationDecision(
            sequence: nextSequence(), segment: spec.id, account: accounts[Int(index)].id, market: "",
            sizeClosed: .zero, remainingSize: .zero, price: .zero, bankruptcyPrice: .zero, penalty: .zero,
            insuranceFundDelta: Amount(fixed: insuranceEquity(now: now) - insuranceBefore),
            badDebt: Amount(fixed: outcome.badDebt), socializedLoss: Amount(fixed: outcome.socialized),
            equityBefore: Amount(fixed: v.equity), maintenanceMarginBefore: Amount(fixed: v.maintenanceMargin),
            reason: "equity \(Amount(fixed: v.equity)) < 0 with no position left", timestamp: now)
        return (decision, outcome.affectsOthers)
    }

    /// No position left and E < 0: other collateral goes to the fund at weight·price, the fund
    /// pays the rest; a fund shortfall is bad debt, socialized pro rata over positive equity.
    mutating func bankruptcy(_ index: Int32, now: Timestamp) throws(AmountError) -> (badDebt: Int128, socialized: Int128, affectsOthers: Bool) {
        let context = ValuationContext(segment: self, now: now)
        bankruptcyRecord?.append(index)
        var account = accounts[Int(index)]
        var insurance = accounts[Int(Self.insurance)]
        for k in account.others.indices where account.others[k] != 0 {
            let balance = account.others[k]
            let rule = collateralAssets[k]
            let risk = context.markets[Int(rule.priceMarket)]
            let value = risk.hasPrice ? try Fixed.mul3(balance, risk.price, rule.weight, .down) : 0
            account.settlement = try Fixed.checked(account.settlement + value)
            insurance.setOther(k, try Fixed.checked(insurance.other(k) + balance), count: collateralAssets.count)
            account.others[k] = 0
            insurance.settlement = try Fixed.checked(insurance.settlement - value)
        }
        let equity = try valuation(account, context).equity
        if equity < 0 {
            account.settlement -= equity
            insurance.settlement = try Fixed.checked(insurance.settlement + equity)
        }
        accounts[Int(index)] = account
        accounts[Int(Self.insurance)] = insurance

        let fund = try valuation(accounts[Int(Self.insurance)], context).equity
        guard fund < 0 else { return (0, 0, refreshMode(now: now)) }
        let shortfall = -fund
        let socialized = try socialize(shortfall, context: context)
        accounts[Int(Self.insurance)].settlement += socialized
        badDebt = try Fixed.checked(badDebt + shortfall)
        refreshMode(now: now)
        return (shortfall, socialized, true)
    }

    /// Debits `loss` from accounts with positive equity, pro rata (shares rounded down; the
    /// residual goes to the largest-equity account, ties by id, so the total is exact).
    /// Returns the amount actually collected (at most the total positive equity).
    mutating func socialize(_ loss: Int128, context: ValuationContext) throws(AmountError) -> Int128 {
        var holders: [(index: Int, equity: Int128)] = []
        var total: Int128 = 0
        for i in 1..<accounts.count {
            guard let v = safeValuation(accounts[i], context), v.equity > 0 else { continue }
            holders.append((i, v.equity))
            total += v.equity
        }
        guard total > 0 else { return 0 }
        dropWatches()  // many balances move: rebuild on the next tick
        let collected = min(loss, total)
        var assigned: Int128 = 0
        var largest = holders[0]
        for h in holders {
            let share = try Amount.mulDiv(collected, h.equity, total, .down)
            accounts[h.index].settlement -= share
            assigned += share
            if h.equity > largest.equity || (h.equity == largest.equity && accounts[h.index].id < accounts[largest.index].id) {
                largest = h
            }
        }
        accounts[largest.index].settlement -= collected - assigned
        return collected
    }
}
