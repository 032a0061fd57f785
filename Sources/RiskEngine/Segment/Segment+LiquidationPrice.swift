/// The liquidation price (RISK.md "Valuation"): where the engine's own condition flips.
extension Segment {
    /// The price of `p`'s market, everything else held, at which the account IS liquidatable
    /// (exact E < exact MM, the condition every liquidation uses) while one tick (10^-8) on
    /// the safe side it is NOT; `nil` exactly when no positive price liquidates it.
    ///
    /// E − MM is linear in this market's price X (the position's PnL and MM, and any
    /// collateral priced by this market, move with it):
    ///   g(X) = g(P) + γ·(X − P),  γ = q·(1 − MMF·sign q) + Σ balance·weight (collateral here),
    /// the RISK.md closed form `P − (E − MM) / (q·(1 − MMF·sign q))` with the collateral term
    /// added to the denominator. γ > 0 (a long): the highest liquidating price, safe side
    /// above; γ < 0 (a short): the lowest, safe side below; γ = 0: the price does not move
    /// the decision, `nil`. Solved exactly in integers (no rounding before the last step),
    /// then checked with a full valuation at the answer and one tick beyond; out-of-range
    /// arithmetic (absurd sizes) falls back to a bisection on the same condition.
    func liquidationPrice(_ account: Account, _ p: Position, _ v: Valuation, _ context: ValuationContext) -> Int128? {
        let m = Int(p.market)
        var probe = context
        let mark = Self.mark(p, context)
        var v0 = v
        if !context.markets[m].hasPrice {  // collateral priced here counts once the market has a price
            probe.markets[m].price = mark
            probe.markets[m].hasPrice = true
            guard let priced = safeValuation(account, probe) else { return nil }
            v0 = priced
        }
        /// The engine's condition at `price`; `nil` where the valuation is out of range.
        func liquidatable(at price: Int128) -> Bool? {
            guard price > 0, price <= Amount.limitRaw else { return nil }
            probe.markets[m].price = price
            probe.markets[m].hasPrice = true
            return safeValuation(account, probe)?.isLiquidatable
        }
        func bisect() -> Int128? {
            // Direction from the exact valuations one tick apart (E − MM is linear in the price).
            var above = probe
            above.markets[m].price = mark + 1
            above.markets[m].hasPrice = true
            guard let v1 = safeValuation(account, above), let g0 = try? v0.exactEquity - v0.exactMaintenance,
                  let g1 = try? v1.exactEquity - v1.exactMaintenance, g0 != g1 else { return nil }
            return bisectLiquidationPrice(from: mark, safeAbove: g0 < g1, liquidatable)
        }
        guard let slope = liquidationSlope(account, p, context) else { return bisect() }
        guard slope != 0 else { return nil }
        guard let gap = try? v0.exactEquity - v0.exactMaintenance, let steps = Self.floorDivide(gap, by: slope.magnitude) else {
            return bisect()
        }
        // γ > 0: g(X) < 0 ⇔ X − P < −g/γ ⇔ X ≤ P − ⌊g/γ⌋ − 1.  γ < 0: X ≥ P + ⌊g/|γ|⌋ + 1.
        let (candidate, overflow) = slope > 0
            ? mark.subtractingReportingOverflow(steps &+ 1) : mark.addingReportingOverflow(steps &+ 1)
        let safeStep: Int128 = slope > 0 ? 1 : -1
        var price = overflow ? (slope > 0 ? (steps > 0 ? Int128.min : Int128.max) : (steps > 0 ? Int128.max : Int128.min)) : candidate
        if slope > 0 {
            if price < 1 { return nil }  // only a price ≤ 0 would liquidate
            price = min(price, Amount.limitRaw)
        } else {
            if price > Amount.limitRaw { return nil }
            price = max(price, 1)
        }
        // Proof by the engine's own condition: liquidatable here, and not one tick safer.
        guard liquidatable(at: price) == true, liquidatable(at: price + safeStep) != true else { return bisect() }
        return price
    }

    /// γ, the change of E − MM per tick of this market's price, at scale 10^-24:
    /// q·10^8 − |q|·MMF + Σ balance·weight over collateral priced by this market.
    func liquidationSlope(_ account: Account, _ p: Position, _ context: ValuationContext) -> Int128? {
        let (pnl, o1) = p.size.multipliedReportingOverflow(by: Fixed.unit)
        let (mm, o2) = Int128(p.size.magnitude).multipliedReportingOverflow(by: context.markets[Int(p.market)].mmf)
        var (slope, o3) = pnl.subtractingReportingOverflow(mm)
        if o1 || o2 || o3 { return nil }
        for (k, balance) in account.others.enumerated() where balance != 0 && Int(collateralAssets[k].priceMarket) == Int(p.market) {
            let (weighted, o4) = balance.multipliedReportingOverflow(by: collateralAssets[k].weight)
            let (sum, o5) = slope.addingReportingOverflow(weighted)
            if o4 || o5 { return nil }
            slope = sum
        }
        return slope
    }

    /// ⌊value / d⌋ for an exact value (scale 10^-24) and d > 0 (per-tick slope, same scale).
    static func floorDivide(_ value: ExactValue, by d: UInt128) -> Int128? {
        guard d > 0, d <= UInt128(Int128.max) else { return nil }
        let divisor = Int128(d)
        // (units·10^16 + dust) / d = ⌊units·10^16 / d⌋ + ⌊(r + dust) / d⌋ with r = units·10^16 mod d.
        guard let (q, r) = try? ExactValue.floorDivMod(value.units, ExactValue.dustPerUnit, by: divisor) else { return nil }
        let (rest, overflow) = r.addingReportingOverflow(value.dust)
        if overflow { return nil }
        return q + rest / divisor
    }

    /// The same answer by search on the condition itself (monotone: E − MM is linear in the
    /// price), for sizes too large for the closed form's integers. `safeAbove`: liquidatable
    /// below the answer (a long). A bound is found by doubling away from `mark`, then bisected;
    /// a valuation out of range on the way means no representable boundary (`nil`).
    func bisectLiquidationPrice(from mark: Int128, safeAbove: Bool, _ liquidatable: (Int128) -> Bool?) -> Int128? {
        // Find lo (liquidatable) and hi (not), on either side as the direction says.
        guard mark > 0, let atMark = liquidatable(mark) else { return nil }
        var inside = mark, outside = mark  // inside: liquidatable; outside: not
        if atMark {
            // Move toward the safe side until the condition stops holding.
            var step: Int128 = 1
            while true {
                let next = safeAbove ? min(inside + step, Amount.limitRaw) : max(inside - step, 1)
                guard let holds = liquidatable(next) else { return nil }
                if !holds { outside = next; break }
                if next == inside { return inside }  // holds to the end of the range
                inside = next
                step *= 2
            }
        } else {
            var step: Int128 = 1
            while true {
                let next = safeAbove ? max(outside - step, 1) : min(outside + step, Amount.limitRaw)
                guard let holds = liquidatable(next) else { return nil }
                if holds { inside = next; break }
                if next == outside { return nil }  // no price in range liquidates
                outside = next
                step *= 2
            }
        }
        // Bisect between inside and outside (adjacent ticks at the end).
        while (inside - outside).magnitude > 1 {
            let mid = inside + (outside - inside) / 2
            guard let holds = liquidatable(mid) else { return nil }
            if holds { inside = mid } else { outside = mid }
        }
        return inside
    }
}
