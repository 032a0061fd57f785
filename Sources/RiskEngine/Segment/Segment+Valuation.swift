/// Per-market numbers a valuation needs: index price and effective margin fractions.
struct MarketRisk: Sendable {
    var price: Int128
    var hasPrice: Bool
    var imf: Int128
    var mmf: Int128
}

/// The market prices and fractions one command values accounts with. Built once per command;
/// a hypothetical (pre-trade check, liquidation-price search) edits a copy.
struct ValuationContext: Sendable {
    var markets: [MarketRisk]
    var now: Timestamp

    init(segment: borrowing Segment, now: Timestamp) {
        self.now = now
        let kIM = segment.initialMultiplier
        let kMM = segment.maintenanceMultiplier(at: now)
        var markets: [MarketRisk] = []
        markets.reserveCapacity(segment.markets.count)
        for i in segment.markets.indices {
            let spec = segment.spec.markets[i]
            let index = segment.markets[i].index
            let imf = (try? segment.effectiveIMF(spec, openInterest: segment.markets[i].openInterest, price: index, multiplier: kIM)) ?? Fixed.unit
            let base = segment.markets[i].mmfRamp == nil ? spec.maintenanceMarginFraction.raw : segment.baseMaintenanceFraction(i, at: now)
            let mmf = kMM == Fixed.unit ? base : (try? Fixed.mul(base, kMM, .up)) ?? Fixed.unit
            markets.append(MarketRisk(price: index ?? 0, hasPrice: index != nil, imf: imf, mmf: mmf))
        }
        self.markets = markets
    }
}

/// An account's valuation (RISK.md "Valuation"), raw fixed-point.
///
/// Rounding, each exactly once and always in the segment's favour: per position the IM and
/// MM terms are `|q|·P·fraction` rounded UP, the unrealized PnL `q·(P − e)` rounded DOWN; each
/// other collateral asset is `balance·weight·price` rounded DOWN. Totals are sums of these
/// rounded terms, and status and every decision use exactly these numbers, so a displayed
/// summary always agrees with the engine's decisions.
struct Valuation: Sendable, Equatable {
    var collateral: Int128 = 0
    var unrealizedPnl: Int128 = 0
    var initialMargin: Int128 = 0
    var maintenanceMargin: Int128 = 0
    var notional: Int128 = 0

    var equity: Int128 { collateral + unrealizedPnl }

    var status: AccountStatus {
        let e = equity
        if e < 0 { return .bankrupt }
        if e < maintenanceMargin { return .liquidatable }
        if e < initialMargin { return .atRisk }
        return .healthy
    }

    var isLiquidatable: Bool { equity < maintenanceMargin }
}

extension Segment {
    /// IMF with dYdX-style OI scaling (linear to 1 between the caps), times the IM multiplier.
    func effectiveIMF(_ spec: MarketSpec, openInterest: Int128, price: Int128?, multiplier: Int128) throws(AmountError) -> Int128 {
        var base = spec.initialMarginFraction.raw
        if let scaling = spec.openInterestScaling, let price {
            let notional = try Fixed.mul(openInterest, price, .up)
            let lower = scaling.lower.raw, upper = scaling.upper.raw
            if notional >= upper {
                base = Fixed.unit
            } else if notional > lower {
                let scaled = try Fixed.checked(base + Amount.mulDiv(Fixed.unit - base, notional - lower, upper - lower, .up))
                base = max(base, scaled)
            }
        }
        return multiplier == Fixed.unit ? base : try Fixed.mul(base, multiplier, .up)
    }

    /// Mark price of a position: the index, or the entry while the market has none.
    @inline(__always)
    static func mark(_ position: Position, _ context: ValuationContext) -> Int128 {
        let risk = context.markets[Int(position.market)]
        return risk.hasPrice ? risk.price : position.entry
    }

    func collateralValue(_ account: Account, _ context: ValuationContext) throws(AmountError) -> Int128 {
        var total = account.settlement
        for (k, balance) in account.others.enumerated() where balance != 0 {
            let rule = collateralAssets[k]
            let risk = context.markets[Int(rule.priceMarket)]
            guard risk.hasPrice else { continue }  // unpriced collateral counts as nothing
            total = try Fixed.checked(total + Fixed.mul3(balance, risk.price, rule.weight, .down))
        }
        return total
    }

    func valuation(_ account: Account, _ context: ValuationContext) throws(AmountError) -> Valuation {
        var v = Valuation()
        v.collateral = try collateralValue(account, context)
        for position in account.positions {
            let risk = context.markets[Int(position.market)]
            let price = risk.hasPrice ? risk.price : position.entry
            let size = position.size.magnitude
            let absSize = Int128(size)
            v.unrealizedPnl = try Fixed.checked(v.unrealizedPnl + Fixed.mul(position.size, price - position.entry, .down))
            v.initialMargin = try Fixed.checked(v.initialMargin + Fixed.mul3(absSize, price, risk.imf, .up))
            v.maintenanceMargin = try Fixed.checked(v.maintenanceMargin + Fixed.mul3(absSize, price, risk.mmf, .up))
            v.notional = try Fixed.checked(v.notional + Fixed.mul(absSize, price, .up))
        }
        return v
    }

    /// Valuation that saturates instead of failing (reads of absurd states must not trap).
    func safeValuation(_ account: Account, _ context: ValuationContext) -> Valuation? {
        try? valuation(account, context)
    }
}
