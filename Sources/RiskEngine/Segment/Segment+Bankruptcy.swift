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
    /// pays the rest; a fund shortfall is bad debt. It is socialized once per liquidation pass
    /// (`settleShortfall`), not per bankruptcy: a crash with B bankruptcies over N accounts
    /// then costs O(N) instead of O(B·N), and each decision still shows its own share.
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
        // This bankruptcy's shortfall: how much deeper below zero it took the fund in this pass.
        let deficit = max(-fund, 0)
        let shortfall = max(deficit - pendingShortfall, 0)
        pendingShortfall = deficit
        guard shortfall > 0 else { return (0, 0, refreshMode(now: now)) }
        badDebt = try Fixed.checked(badDebt + shortfall)
        // Outstanding until the end of the pass socializes what accounts can absorb.
        outstandingBadDebt = try Fixed.checked(outstandingBadDebt + shortfall)
        lastBadDebtAt = now
        refreshMode(now: now)
        return (shortfall, 0, true)
    }

    /// End of a liquidation pass: the fund's deficit is socialized in one go, and each
    /// decision of the pass that carried bad debt gets its pro-rata part of what was collected
    /// (`socializedLoss`, and back into its `insuranceFundDelta`), in `decisions` and the log.
    mutating func settleShortfall(now: Timestamp, decisions: inout [LiquidationDecision], from start: Int) {
        guard pendingShortfall > 0 else { return }
        pendingShortfall = 0
        let context = ValuationContext(segment: self, now: now)
        guard let fund = safeValuation(accounts[Int(Self.insurance)], context)?.equity, fund < 0,
            let collected = try? socialize(-fund, context: context), collected > 0
        else { return }
        accounts[Int(Self.insurance)].settlement += collected
        // What the accounts absorbed is no longer outstanding (RISK.md "Liquidation" step 4).
        outstandingBadDebt = max(0, outstandingBadDebt - collected)
        socializedLossTotal += collected
        lastBadDebtAt = now
        refreshMode(now: now)
        let carrying = decisions.indices.filter { $0 >= start && decisions[$0].badDebt.isPositive }
        let total = carrying.reduce(Int128(0)) { $0 + decisions[$1].badDebt.raw }
        guard total > 0, let last = carrying.last else { return }
        var assigned: Int128 = 0
        for i in carrying {
            let share = i == last ? collected - assigned : (try? Amount.mulDiv(collected, decisions[i].badDebt.raw, total, .down)) ?? 0
            assigned += share
            decisions[i].socializedLoss = Amount(fixed: share)
            decisions[i].insuranceFundDelta = Amount(fixed: decisions[i].insuranceFundDelta.raw + share)
            // The log keeps the same decision (its tail, unless retention dropped it).
            var k = liquidationLog.count - 1
            while k >= liquidationLogStart, liquidationLog[k].sequence > decisions[i].sequence { k -= 1 }
            if k >= liquidationLogStart, liquidationLog[k].sequence == decisions[i].sequence { liquidationLog[k] = decisions[i] }
        }
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
