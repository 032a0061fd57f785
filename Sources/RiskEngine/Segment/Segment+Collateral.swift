extension Segment {
    /// RISK.md "Collateral": deposits always (also when halted); a withdrawal only if the
    /// segment is not halted and afterwards the balance ≥ 0 and E ≥ IM (+ withdrawalFloor·notional).
    mutating func applyCollateral(_ movement: CollateralCommand) throws(EngineError) -> CollateralOutcome {
        try Self.validateAccountId(movement.account)
        let asset: Int?  // nil: the settlement asset
        if movement.asset == spec.settlementAsset {
            asset = nil
        } else if let k = collateralAssets.firstIndex(where: { $0.asset == movement.asset }) {
            asset = k
        } else {
            throw .collateralNotPermitted(movement.asset)
        }
        guard !movement.amount.isZero else {
            throw EngineError(.invalid, code: "invalid_amount", message: "amount must not be zero")
        }
        let now = now(for: movement.arrival)
        let existingIndex = accountIndex[movement.account]
        var account = existingIndex.map { accounts[Int($0)] } ?? Account(id: movement.account)
        do {
            let balance = asset.map { account.other($0) } ?? account.settlement
            let newBalance = try Fixed.checked(balance + movement.amount.raw)
            if movement.amount.isNegative {
                func reject(_ reason: RejectReason, _ message: String) -> CollateralOutcome {
                    let current = existingIndex.map { summary(of: accounts[Int($0)], context: ValuationContext(segment: self, now: now)) }
                        ?? emptySummary(movement.account)
                    return CollateralOutcome(decision: .rejected(reason, message: message), account: current)
                }
                guard existingIndex != nil else { return reject(.insufficientMargin, "account has no balance to withdraw") }
                if mode == .halted { return reject(.segmentHalted, "segment '\(spec.id)' is halted") }
                guard newBalance >= 0 else {
                    return reject(.insufficientMargin, "balance of \(movement.asset) would be \(Amount(fixed: newBalance))")
                }
                var after = account
                if let asset { after.setOther(asset, newBalance, count: collateralAssets.count) } else { after.settlement = newBalance }
                let context = ValuationContext(segment: self, now: now)
                let v = try valuation(after, context)
                var required = v.exactInitial
                if let floor = spec.withdrawalFloor { required = try required + ExactValue(units: Fixed.mul(v.notional, floor.raw, .up)) }
                guard !(v.exactEquity < required) else {  // exact E ≥ IM, as for fills
                    return reject(.insufficientMargin, "equity \(Amount(fixed: v.equity)) < required \(Amount(fixed: required.roundedUp)) after the withdrawal")
                }
                account = after
            } else if let asset {
                account.setOther(asset, newBalance, count: collateralAssets.count)
            } else {
                account.settlement = newBalance
            }
        } catch {
            throw .outOfRange
        }
        let advanced = advance(to: movement.arrival)
        let index = accountSlot(movement.account)
        commit(index, account)
        if refreshMode(now: advanced) { _ = liquidateAll(now: advanced) }
        let result = summary(of: accounts[Int(index)], context: ValuationContext(segment: self, now: advanced))
        return CollateralOutcome(decision: .accepted, account: result)
    }
}
