/// The whole-segment liquidation scan (mode change, ramping maintenance multiplier, moved
/// collateral price): decides E < MM for every account exactly like a full valuation, but
/// from unrounded products with no division, valuing fully only the borderline accounts.
extension Segment {
    /// Liquidatable accounts in index order; the same list as
    /// `liquidatable(among: all accounts)`, which values each non-simple account fully.
    func liquidatableAccounts(now: Timestamp) -> [Int32] {
        let context = ValuationContext(segment: self, now: now)
        var due: [Int32] = []
        accounts.withUnsafeBufferPointer { all in
            for i in 1..<all.count {
                let account = all[i]
                let decided: Bool?
                if account.isSimple, let p = account.positions.first, context.markets[Int(p.market)].hasPrice {
                    // Exactly the reference's test for simple accounts.
                    let risk = context.markets[Int(p.market)]
                    decided = Self.quickCheck(settlement: account.settlement, size: p.size, entry: p.entry, price: risk.price, mmf: risk.mmf)
                } else if account.positions.isEmpty {
                    // MM = 0 and, with no negative balance, E ≥ 0: never liquidatable.
                    decided = account.settlement >= 0 && account.others.allSatisfy({ $0 >= 0 }) ? false : nil
                } else {
                    decided = quickCheck(account, context)
                }
                if let decided {
                    if decided { due.append(Int32(i)) }
                } else if let v = safeValuation(account, context), v.isLiquidatable {
                    due.append(Int32(i))
                }
            }
        }
        return due
    }

    /// E < MM for any account, decided exactly at scale 10^-24 (`nil`: value it fully).
    ///
    /// The valuation rounds each collateral and PnL term down and each MM term up, once, by
    /// less than one unit (10^16 here). So with n collateral terms and k positions, rounded
    /// E − MM lies in (exact − (n + 2k) units, exact]: a negative exact gap is liquidatable,
    /// a gap of at least n + 2k units is not, anything between needs the rounded numbers.
    /// Sizes are capped so the full valuation could not have failed (where it would answer
    /// "not liquidatable") on an account this check decides.
    func quickCheck(_ account: borrowing Account, _ context: ValuationContext) -> Bool? {
        guard account.positions.count <= Self.quickCheckMaxPositions else { return nil }
        var (equity, overflow) = account.settlement.multipliedReportingOverflow(by: Fixed.unit2)
        if overflow { return nil }
        var units: Int128 = 0
        for k in account.others.indices where account.others[k] != 0 {
            let rule = collateralAssets[k]
            let risk = context.markets[Int(rule.priceMarket)]
            guard risk.hasPrice else { continue }  // unpriced collateral counts as nothing
            let (value, o1) = account.others[k].multipliedReportingOverflow(by: risk.price)
            let (weighted, o2) = value.multipliedReportingOverflow(by: rule.weight)
            let (sum, o3) = equity.addingReportingOverflow(weighted)
            if o1 || o2 || o3 { return nil }
            equity = sum
            units += 1
        }
        var maintenance: Int128 = 0
        for p in account.positions {
            let risk = context.markets[Int(p.market)]
            let price = risk.hasPrice ? risk.price : p.entry
            guard price >= 0, risk.imf <= Self.quickCheckMaxFraction else { return nil }
            let (pnl, o1) = p.size.multipliedReportingOverflow(by: price &- p.entry)
            let (pnl24, o2) = pnl.multipliedReportingOverflow(by: Fixed.unit)
            let (notional, o3) = (p.size < 0 ? 0 &- p.size : p.size).multipliedReportingOverflow(by: price)
            let (mm24, o4) = notional.multipliedReportingOverflow(by: risk.mmf)
            let (e, o5) = equity.addingReportingOverflow(pnl24)
            let (mm, o6) = maintenance.addingReportingOverflow(mm24)
            if o1 || o2 || o3 || o4 || o5 || o6 || notional > Self.quickCheckMaxNotional { return nil }
            equity = e
            maintenance = mm
            units += 2
        }
        let (gap, o) = equity.subtractingReportingOverflow(maintenance)
        if o { return nil }
        if gap < 0 { return true }
        if gap >= units * Fixed.unit2 { return false }
        return nil
    }

    // Bounds under which no term or sum of the full valuation (IM included) can leave
    // Amount's range: ≤ 64 positions of notional ≤ 10^20 at IMF ≤ 10^4 sum to < 10^26.
    static let quickCheckMaxPositions = 64
    static let quickCheckMaxNotional: Int128 = 100_000_000_000_000_000_000 * Fixed.unit2  // 10^20 units, scale 10^-16
    static let quickCheckMaxFraction: Int128 = 10_000 * Fixed.unit
}
