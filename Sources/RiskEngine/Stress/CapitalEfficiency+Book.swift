extension CapitalEfficiency {
    /// RISK.md "collateral required" for a book at `now`: per segment account IM − uPnL
    /// (with the segment's current multipliers), summed per segment account (segmented) or
    /// per account id first (monolithic: a profit in one segment covers a requirement in
    /// another). Sums only: no dictionary order can matter.
    public init(book: [Segment], at now: Timestamp) {
        var segmented: Int128 = 0
        var byId: [String: Int128] = [:]
        for segment in book {
            let context = ValuationContext(segment: segment, now: now)
            for account in segment.accounts.dropFirst() {
                guard let v = segment.safeValuation(account, context) else { continue }
                let need = v.initialMargin - v.unrealizedPnl
                segmented += max(need, 0)
                byId[account.id, default: 0] += need
            }
        }
        var monolithic: Int128 = 0
        for need in byId.values { monolithic += max(need, 0) }
        self.init(segmentedCollateralRequired: Amount(fixed: segmented), monolithicCollateralRequired: Amount(fixed: monolithic))
    }
}
