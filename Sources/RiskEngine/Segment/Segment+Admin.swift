/// The admin's levers besides parameters: the mode floor and insurance top-ups (API.md
/// "Governance").
extension Segment {
    /// The admin floor in force (nil: automatic only).
    public var modeFloor: SegmentMode? { modeOverride }

    /// `PUT …/mode`: a floor under the automatic mode (`nil` = `auto` removes it).
    public mutating func apply(_ floor: ModeFloorCommand) throws(EngineError) -> ModeOutcome {
        if let mode = floor.mode, mode < .isolated {
            throw EngineError(.invalid, code: "invalid_mode", message: "mode must be one of isolated, reduce_only, halted, auto")
        }
        let now = advance(to: floor.arrival)
        modeOverride = floor.mode
        modeFloorReason = floor.reason
        refreshMode(now: now)
        let liquidations = liquidateAll(now: now)
        return ModeOutcome(mode: mode, floor: modeOverride, liquidations: liquidations)
    }

    /// `POST …/insurance`: the amount joins the fund; the outstanding bad debt it covers is
    /// paid (it was the fund's negative balance), so the segment may leave `isolated`.
    public mutating func apply(_ topUp: InsuranceTopUpCommand) throws(EngineError) -> InsuranceOutcome {
        guard topUp.amount.isPositive else {
            throw EngineError(.invalid, code: "invalid_amount", message: "amount must be greater than 0")
        }
        let fund = accounts[Int(Self.insurance)].settlement
        guard let after = try? Fixed.checked(fund + topUp.amount.raw) else { throw .outOfRange }
        let now = advance(to: topUp.arrival)
        let paid = min(topUp.amount.raw, outstandingBadDebt)
        outstandingBadDebt -= paid
        accounts[Int(Self.insurance)].settlement = after
        refreshMode(now: now)
        let liquidations = liquidateAll(now: now)
        return InsuranceOutcome(
            amount: topUp.amount, badDebtPaid: Amount(fixed: paid), insuranceFund: Amount(fixed: insuranceEquity(now: now)),
            badDebt: Amount(fixed: outstandingBadDebt), mode: mode, liquidations: liquidations)
    }

    /// Bad debt no account absorbed, not yet paid by a top-up.
    public var outstandingBadDebtAmount: Amount { Amount(fixed: outstandingBadDebt) }

    /// Why the segment is in its mode, for `mode_change` events.
    func modeReason(now: Timestamp) -> String {
        if let floor = modeOverride, floor >= autoMode {
            return modeFloorReason.isEmpty ? "admin floor \(floor.rawValue)" : "admin floor \(floor.rawValue): \(modeFloorReason)"
        }
        if outstandingBadDebt > 0 { return "outstanding bad debt \(Amount(fixed: outstandingBadDebt))" }
        if isInBadDebtCooldown(now: now) { return "bad debt socialized; isolated for at least the cooldown" }
        if let floor = spec.insuranceFundFloor, insuranceEquity(now: now) < floor.raw {
            return "insurance fund below its floor \(floor)"
        }
        if autoMode == .reduceOnly, volatilityMode < .reduceOnly { return "oracle dead past liquidationMaxAgeSeconds" }
        return "volatility \(segmentVolatility)"
    }

    func isInBadDebtCooldown(now: Timestamp) -> Bool {
        guard let since = lastBadDebtAt else { return false }
        return now.nanoseconds(since: since) < spec.regimes.cooldownSeconds &* 1_000_000_000
    }

    /// The segment's volatility statistic (max over markets), for display.
    var segmentVolatility: Amount {
        var best = Amount.zero
        for m in markets.indices { best = max(best, volatilityAmount(m)) }
        return best
    }
}
