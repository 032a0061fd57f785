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
/// Round once, at the end: every product (`|q|·P·fraction`, `q·(P − e)`,
/// `balance·weight·price`) is summed exactly at scale 10^-24 (`ExactValue`), and each
/// reported figure is rounded once from its exact sum — requirements (IM, MM, notional) UP,
/// equity, collateral value and unrealized PnL DOWN. So `equity` is ⌊C + U⌋, which may exceed
/// ⌊C⌋ + ⌊U⌋ by one unit.
///
/// Decisions (status, liquidation, the pre-trade E ≥ IM, the liquidation price) compare the
/// exact sums, never the rounded figures: an exact-decimal model makes the same decision at
/// every boundary, and the liquidation price is solved exactly from a linear condition.
struct Valuation: Sendable, Equatable {
    var collateral: Int128 = 0
    var unrealizedPnl: Int128 = 0
    var initialMargin: Int128 = 0
    var maintenanceMargin: Int128 = 0
    var notional: Int128 = 0

    var exactCollateral = ExactValue.zero
    var exactPnl = ExactValue.zero
    var exactEquity = ExactValue.zero
    var exactInitial = ExactValue.zero
    var exactMaintenance = ExactValue.zero

    /// ⌊C + Σu⌋, rounded once.
    var equity: Int128 { exactEquity.roundedDown }

    var status: AccountStatus {
        if exactEquity.isNegative { return .bankrupt }
        if exactEquity < exactMaintenance { return .liquidatable }
        if exactEquity < exactInitial { return .atRisk }
        return .healthy
    }

    var isLiquidatable: Bool { exactEquity < exactMaintenance }
    /// E ≥ IM, exactly.
    var meetsInitial: Bool { !(exactEquity < exactInitial) }
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
        try exactCollateralValue(account, context).roundedDown
    }

    /// Settlement balance plus Σ balance·weight·price, exactly.
    func exactCollateralValue(_ account: Account, _ context: ValuationContext) throws(AmountError) -> ExactValue {
        var total = ExactValue(units: account.settlement)
        for (k, balance) in account.others.enumerated() where balance != 0 {
            let rule = collateralAssets[k]
            let risk = context.markets[Int(rule.priceMarket)]
            guard risk.hasPrice else { continue }  // unpriced collateral counts as nothing
            total = try total + ExactValue.product(balance, risk.price, rule.weight)
        }
        return total
    }

    func valuation(_ account: Account, _ context: ValuationContext) throws(AmountError) -> Valuation {
        var v = Valuation()
        v.exactCollateral = try exactCollateralValue(account, context)
        var notional = ExactValue.zero
        for position in account.positions {
            let risk = context.markets[Int(position.market)]
            let price = risk.hasPrice ? risk.price : position.entry
            let absSize = Int128(position.size.magnitude)
            let size = try ExactValue.product(absSize, price)
            notional = try notional + size
            v.exactPnl = try v.exactPnl + ExactValue.product(position.size, price - position.entry)
            v.exactInitial = try v.exactInitial + ExactValue.product(absSize, price, risk.imf)
            v.exactMaintenance = try v.exactMaintenance + ExactValue.product(absSize, price, risk.mmf)
        }
        v.exactEquity = try v.exactCollateral + v.exactPnl
        v.collateral = try Fixed.checked(v.exactCollateral.roundedDown)
        v.unrealizedPnl = try Fixed.checked(v.exactPnl.roundedDown)
        _ = try Fixed.checked(v.exactEquity.roundedDown)
        v.initialMargin = try Fixed.checked(v.exactInitial.roundedUp)
        v.maintenanceMargin = try Fixed.checked(v.exactMaintenance.roundedUp)
        v.notional = try Fixed.checked(notional.roundedUp)
        return v
    }

    /// Valuation that saturates instead of failing (reads of absurd states must not trap).
    func safeValuation(_ account: Account, _ context: ValuationContext) -> Valuation? {
        try? valuation(account, context)
    }
}
