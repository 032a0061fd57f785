/// Read models: margin summaries with liquidation prices, and the segment view.
extension Segment {
    func emptySummary(_ account: String) -> MarginSummary {
        MarginSummary(
            segment: spec.id, account: account, collateralValue: .zero, unrealizedPnl: .zero, equity: .zero,
            initialMargin: .zero, maintenanceMargin: .zero, freeCollateral: .zero, marginRatio: nil,
            status: .healthy, positions: [], balances: [])
    }

    func summary(of account: Account, context: ValuationContext) -> MarginSummary {
        guard let v = safeValuation(account, context) else { return emptySummary(account.id) }
        return summary(of: account, context: context, valuation: v)
    }

    func summary(of account: Account, context: ValuationContext, valuation v: Valuation) -> MarginSummary {
        var positions: [PositionSummary] = []
        positions.reserveCapacity(account.positions.count)
        for p in account.positions {
            let risk = context.markets[Int(p.market)]
            let price = Self.mark(p, context)
            let absQ = Int128(p.size.magnitude)
            positions.append(PositionSummary(
                market: markets[Int(p.market)].id, size: Amount(fixed: p.size), entryPrice: Amount(fixed: p.entry),
                markPrice: Amount(fixed: price),
                notional: Amount(fixed: (try? Fixed.mul(absQ, price, .up)) ?? 0),
                unrealizedPnl: Amount(fixed: (try? Fixed.mul(p.size, price - p.entry, .down)) ?? 0),
                initialMargin: Amount(fixed: (try? Fixed.mul3(absQ, price, risk.imf, .up)) ?? 0),
                maintenanceMargin: Amount(fixed: (try? Fixed.mul3(absQ, price, risk.mmf, .up)) ?? 0),
                liquidationPrice: liquidationPrice(account, p, v, context).map { Amount(fixed: $0) }))
        }
        if positions.count > 1 { positions.sort { $0.market < $1.market } }
        var balances = [AssetBalance(asset: spec.settlementAsset, balance: Amount(fixed: account.settlement))]
        for (k, balance) in account.others.enumerated() where balance != 0 {
            balances.append(AssetBalance(asset: collateralAssets[k].asset, balance: Amount(fixed: balance)))
        }
        if balances.count > 1 { balances.sort { $0.asset < $1.asset } }
        let ratio: Amount? = v.maintenanceMargin == 0
            ? nil : (try? Fixed.mulDiv(v.equity, Fixed.unit, v.maintenanceMargin, .down)).map { Amount(fixed: $0) }
        return MarginSummary(
            segment: spec.id, account: account.id, collateralValue: Amount(fixed: v.collateral),
            unrealizedPnl: Amount(fixed: v.unrealizedPnl), equity: Amount(fixed: v.equity),
            initialMargin: Amount(fixed: v.initialMargin), maintenanceMargin: Amount(fixed: v.maintenanceMargin),
            freeCollateral: Amount(fixed: ((try? v.exactEquity - v.exactInitial)?.roundedDown) ?? (v.equity - v.initialMargin)), marginRatio: ratio, status: v.status,
            positions: positions, balances: balances)
    }

    /// The live state as of `at` (see `marginSummary(account:at:)`), or of the last command.
    public func view(at: Timestamp? = nil) -> SegmentView {
        let context = ValuationContext(segment: self, now: readTime(at))
        var marketViews: [MarketView] = []
        var openInterestNotional: Int128 = 0
        for (m, market) in markets.enumerated() {
            let risk = context.markets[m]
            marketViews.append(MarketView(
                id: market.id, indexPrice: market.index.map { Amount(fixed: $0) }, priceTime: market.priceTime,
                initialMarginFraction: Amount(fixed: risk.imf), maintenanceMarginFraction: Amount(fixed: risk.mmf),
                openInterest: Amount(fixed: market.openInterest), maxOpenInterest: spec.markets[m].maxOpenInterest,
                volatility: volatilityAmount(m)))
            if let index = market.index, let n = try? Fixed.mul(market.openInterest, index, .up) {
                openInterestNotional = min(openInterestNotional + n, Amount.limitRaw)
            }
        }
        var collateral: Int128 = 0
        for i in 1..<max(accounts.count, 1) {
            if let c = try? collateralValue(accounts[i], context) {
                collateral = max(min(collateral + c, Amount.limitRaw), -Amount.limitRaw)
            }
        }
        let fund = (try? valuation(accounts[Int(Self.insurance)], context).equity) ?? 0
        return SegmentView(
            id: spec.id, spec: spec, mode: mode, marginMultiplier: Amount(fixed: initialMultiplier), markets: marketViews,
            insuranceFund: Amount(fixed: fund), badDebt: Amount(fixed: outstandingBadDebt), accounts: accounts.count - 1,
            collateralValue: Amount(fixed: collateral), openInterestNotional: Amount(fixed: openInterestNotional),
            liquidationCount: liquidationSequence, badDebtTotal: Amount(fixed: badDebt),
            socializedLossTotal: Amount(fixed: socializedLossTotal), version: paramsVersion, modeFloor: modeOverride)
    }
}
