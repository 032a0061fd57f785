/// Modes and margin multipliers (RISK.md "Regimes").
extension Segment {
    /// The mode the regimes give without the admin override.
    func automaticMode(now: Timestamp) -> SegmentMode {
        var result = volatilityMode
        // RISK.md step 4: socialized bad debt isolates for at least the cooldown; bad debt no
        // account absorbed keeps the segment isolated until a top-up pays it.
        if outstandingBadDebt > 0 || isInBadDebtCooldown(now: now) { result = max(result, .isolated) }
        if let floor = spec.insuranceFundFloor, insuranceEquity(now: now) < floor.raw { result = max(result, .isolated) }
        if result < .reduceOnly, oracleIsDead(now: now) { result = .reduceOnly }
        return result
    }

    /// RISK.md: a market with open positions whose index is older than
    /// `liquidationMaxAge` (or missing) puts the segment in reduce_only until a price arrives.
    func oracleIsDead(now: Timestamp) -> Bool {
        let limit = spec.oracle.liquidationMaxAgeSeconds &* 1_000_000_000
        for market in markets where market.longSize != 0 || market.shortSize != 0 {
            guard let time = market.priceTime else { return true }
            if now.nanoseconds(since: time) > limit { return true }
        }
        return false
    }

    /// Halted keeps the multipliers of the mode underneath it.
    var multiplierMode: SegmentMode {
        mode == .halted ? autoMode : mode
    }

    func threshold(_ mode: SegmentMode) -> RegimeThreshold? {
        switch mode {
        case .normal, .halted: nil
        case .elevated: spec.regimes.elevated
        case .isolated: spec.regimes.isolated
        case .reduceOnly: spec.regimes.reduceOnly
        }
    }

    var initialMultiplier: Int128 { threshold(multiplierMode)?.initialMarginMultiplier.raw ?? Fixed.unit }

    /// The MM multiplier at `now`, ramping linearly from `from` to `to` over `mmRampSeconds`
    /// in whole-second steps (Euler v2's ramp runs on block timestamps, in seconds). So the
    /// requirements, and a liquidation price read from them, hold for the rest of the second
    /// instead of moving with every nanosecond between a read and the next price.
    func maintenanceMultiplier(at now: Timestamp) -> Int128 {
        guard mmRamp.to > mmRamp.from else { return mmRamp.to }
        let ramp = Int128(spec.regimes.mmRampSeconds)
        let elapsed = Int128(now.nanoseconds(since: mmRamp.start) / 1_000_000_000)
        guard ramp > 0, elapsed < ramp else { return mmRamp.to }
        guard elapsed > 0 else { return mmRamp.from }
        return mmRamp.from + (mmRamp.to - mmRamp.from) * elapsed / ramp
    }

    func isRamping(at now: Timestamp) -> Bool {
        (mmRamp.to > mmRamp.from && maintenanceMultiplier(at: now) < mmRamp.to) || isGovernanceRamping(at: now)
    }

    func insuranceEquity(now: Timestamp) -> Int128 {
        insuranceEquity(ValuationContext(segment: self, now: now))
    }

    /// Equity depends on prices only (not on fractions or multipliers), so any context of
    /// the current prices values the fund exactly.
    func insuranceEquity(_ context: ValuationContext) -> Int128 {
        (try? valuation(accounts[Int(Self.insurance)], context).equity) ?? 0
    }

    /// Recomputes the mode; a raised MM multiplier starts a ramp, a lowered one applies at once.
    /// Returns whether the mode or a multiplier changed.
    @discardableResult
    mutating func refreshMode(now: Timestamp) -> Bool {
        let auto = automaticMode(now: now)
        let newMode = modeOverride.map { max(auto, $0) } ?? auto
        let oldMode = mode
        let oldIM = initialMultiplier
        autoMode = auto
        mode = newMode
        if oldMode != newMode {
            events.append(.modeChange(ModeChangeEvent(
                segment: spec.id, from: oldMode, to: newMode, reason: modeReason(now: now), volatility: segmentVolatility, timestamp: now)))
        }
        let target = threshold(multiplierMode)?.maintenanceMarginMultiplier.raw ?? Fixed.unit
        let current = maintenanceMultiplier(at: now)
        var changed = oldMode != newMode || oldIM != initialMultiplier
        if target > current {
            if mmRamp.to != target {
                mmRamp = MultiplierRamp(from: current, to: target, start: now)
                changed = true
            }
        } else if target < current || mmRamp.from != mmRamp.to {
            if mmRamp.to != target || mmRamp.from != target { changed = true }
            mmRamp = MultiplierRamp(from: target, to: target, start: now)
        }
        return changed
    }

    /// Feeds an accepted index move into the market's EWMA volatility and updates the
    /// volatility mode with hysteresis and cooldown.
    mutating func recordVolatility(market m: Int, price: Int128, time: Timestamp) {
        var estimate = markets[m].volatility
        defer { markets[m].volatility = estimate }
        guard estimate.initialized else {
            estimate = VolatilityEstimate(variancePerSecond: 0, lastPrice: price, lastTime: time, initialized: true)
            return
        }
        let dtNs = time.nanoseconds(since: estimate.lastTime)
        // Within the sampling interval the anchor stays: the next sample's return spans the
        // whole move since it.
        if dtNs > 0, dtNs / 1_000_000_000 < spec.regimes.volatilitySampleSeconds { return }
        guard dtNs > 0, estimate.lastPrice > 0, price > 0 else {
            estimate.lastPrice = price
            return
        }
        let dt = Double(dtNs) / 1e9  // volatility statistic: Double allowed (RISK.md), never money
        // Log return and decay from PortableMath, not libm: replay must give the same bits
        // (and so the same modes) on every platform.
        let r = PortableMath.log(Double(price) / Double(estimate.lastPrice))
        let halfLife = Double(max(spec.regimes.ewmaHalfLifeSeconds, 1))
        let decay = PortableMath.exp2(-dt / halfLife)
        let sample = r * r / dt
        let next = decay * estimate.variancePerSecond + (1 - decay) * sample
        estimate.variancePerSecond = next.isFinite ? next : estimate.variancePerSecond
        estimate.lastPrice = price
        estimate.lastTime = time
    }

    static let secondsPerYear = 365.25 * 24 * 3600

    func annualizedVolatility(_ m: Int) -> Double {
        let v = markets[m].volatility.variancePerSecond * Self.secondsPerYear
        return v > 0 ? v.squareRoot() : 0
    }

    /// The volatility statistic as an amount with 8 decimals (display only).
    func volatilityAmount(_ m: Int) -> Amount {
        let v = annualizedVolatility(m)
        guard v.isFinite, v < 1e15 else { return .zero }
        return Amount(uncheckedRaw: Int128((v * 1e8).rounded(.down)))
    }

    mutating func updateVolatilityMode(now: Timestamp) {
        var vol = 0.0
        for m in markets.indices { vol = max(vol, annualizedVolatility(m)) }
        func level(_ t: RegimeThreshold) -> Double { Double(t.volatility.raw) / 1e8 }
        let r = spec.regimes
        var target = SegmentMode.normal
        if vol >= level(r.elevated) { target = .elevated }
        if vol >= level(r.isolated) { target = .isolated }
        if vol >= level(r.reduceOnly) { target = .reduceOnly }
        if target >= volatilityMode {
            if target > volatilityMode { volatilityMode = target }
            calmSince = nil
            return
        }
        // Leaving needs vol below threshold·(1 − hysteresis) for `cooldown` seconds.
        guard let current = threshold(volatilityMode) else { return }
        let exit = level(current) * (1 - Double(r.hysteresis.raw) / 1e8)  // compared with the volatility statistic
        guard vol < exit else {
            calmSince = nil
            return
        }
        let since = calmSince ?? now
        calmSince = since
        if now.nanoseconds(since: since) >= r.cooldownSeconds &* 1_000_000_000 {
            volatilityMode = target
            calmSince = nil
        }
    }
}
