/// Governance of a live segment (RISK.md "Governance"): bounded steps, tightening at once
/// with a raised maintenance fraction ramping in, loosening after a delay, additions only.
extension Segment {
    /// The segment's parameter version (bumped by every accepted change).
    public var version: UInt64 { paramsVersion }

    /// Accepted changes, oldest first.
    public var history: [ParamsVersion] { paramsHistory }

    /// Loosening changes not yet in force.
    public var pending: [PendingParam] { pendingParams }

    /// Validates completely, then applies: nothing changes when it throws.
    public mutating func apply(_ change: ParamsChangeCommand) throws(EngineError) -> ParamsOutcome {
        if let expected = change.expectedVersion, expected != paramsVersion {
            throw EngineError(.conflict, code: "version_conflict", message: "expectedVersion \(expected) is not the current version \(paramsVersion)")
        }
        let now = self.now(for: change.arrival)
        let delay = spec.governance.looseningDelaySeconds
        var immediate = spec
        var loosening: [(path: String, value: ParamValue)] = []
        var changes: [ParamChange] = []
        var raisedMaintenance: [(market: String, from: Int128)] = []
        var seen = Set<String>()

        // Additions first, so fields of an added market or asset may not be "changed" in the
        // same request (they are set by the addition itself).
        for market in change.addMarkets {
            guard !immediate.markets.contains(where: { $0.id == market.id }) else {
                throw EngineError(.invalid, code: "market_exists", message: "market '\(market.id)' already exists; change it under 'markets'")
            }
            immediate.markets.append(market)
            changes.append(ParamChange(field: "markets.\(market.id)", from: "null", to: "added", effectiveAt: now))
        }
        var assignments = change.fields
        for entry in change.collateral {
            if let existing = immediate.collateral.first(where: { $0.asset == entry.asset }) {
                if let market = entry.priceMarket, market != existing.priceMarket {
                    throw EngineError(.invalid, code: "invalid_param", message: "collateral '\(entry.asset)': priceMarket cannot change")
                }
                assignments.append(ParamAssignment(path: "collateral.\(entry.asset).weight", value: .amount(entry.weight)))
            } else {
                immediate.collateral.append(entry)
                changes.append(ParamChange(field: "collateral.\(entry.asset)", from: "null", to: "added", effectiveAt: now))
            }
        }

        for assignment in assignments {
            let path = assignment.path
            guard seen.insert(path).inserted else {
                throw EngineError(.invalid, code: "invalid_param", message: "field '\(path)' is given twice")
            }
            guard let rule = SegmentSpec.rule(for: path) else {
                throw EngineError(.invalid, code: "invalid_param", message: "field '\(path)' cannot be changed")
            }
            guard let old = spec.value(at: path) else {
                if let (id, _) = SegmentSpec.split(path, prefix: "markets.") { throw .unknownMarket(id) }
                if let (id, _) = SegmentSpec.split(path, prefix: "collateral.") { throw .collateralNotPermitted(id) }
                throw EngineError(.invalid, code: "invalid_param", message: "field '\(path)' cannot be changed")
            }
            let new = assignment.value
            switch (rule.isInteger, new) {
            case (true, .integer), (false, .amount), (_, .none) where rule.isOptional: break
            default: throw EngineError(.invalid, code: "invalid_param", message: "field '\(path)' has the wrong kind of value")
            }
            if old == new { continue }
            try Self.checkStep(path, rule, old: old, new: new, bounds: spec.governance)
            let tighter = Self.isTighter(rule, old: old, new: new)
            if tighter || delay == 0 {
                _ = immediate.set(path, new)
                changes.append(ParamChange(field: path, from: old.description, to: new.description, effectiveAt: now))
                if path.hasPrefix("markets."), path.hasSuffix(".maintenanceMarginFraction"), case .amount(let a) = old, tighter {
                    raisedMaintenance.append((String(path.dropFirst(8).dropLast(26)), a.raw))
                }
            } else {
                loosening.append((path, new))
                changes.append(ParamChange(field: path, from: old.description, to: new.description, effectiveAt: now.adding(seconds: delay)))
            }
        }

        // Both the spec in force now and the one after every pending loosening must pass the
        // same validation as a new segment.
        var final = immediate
        for (path, value) in loosening { _ = final.set(path, value) }
        do {
            try immediate.validate()
            try final.validate()
        } catch {
            throw EngineError(.invalid, code: "invalid_spec", message: "\(error.field): \(error.message)")
        }

        guard !changes.isEmpty else {
            return ParamsOutcome(version: paramsVersion, spec: spec, pending: pendingParams, record: nil, liquidations: [])
        }

        // Apply.
        let applied = advance(to: change.arrival)
        var rampFrom: [String: Int128] = [:]
        for (market, from) in raisedMaintenance {
            // A ramp already running starts the new one from where it stands.
            if let m = marketIndex[market] { rampFrom[market] = baseMaintenanceFraction(Int(m), at: applied) } else { rampFrom[market] = from }
        }
        paramsVersion += 1
        let changedPaths = Set(changes.map(\.field))
        pendingParams.removeAll { changedPaths.contains($0.field) }
        for (path, value) in loosening {
            pendingParams.append(PendingParam(field: path, value: value, effectiveAt: applied.adding(seconds: delay), version: paramsVersion))
        }
        pendingParams.sort { $0.effectiveAt < $1.effectiveAt }  // stable: request order within one time
        let record = ParamsVersion(version: paramsVersion, keyId: change.keyId, reason: change.reason, changes: changes, timestamp: applied)
        paramsHistory.append(record)
        respecify(immediate, now: applied)
        for (market, from) in rampFrom.sorted(by: { $0.key < $1.key }) {
            guard let m = marketIndex[market] else { continue }
            let to = spec.markets[Int(m)].maintenanceMarginFraction.raw
            markets[Int(m)].mmfRamp = spec.regimes.mmRampSeconds > 0 ? MultiplierRamp(from: from, to: to, start: applied) : nil
        }
        events.append(.paramsChanged(ParamsChangedEvent(segment: spec.id, version: paramsVersion, changes: changes, timestamp: applied)))
        refreshMode(now: applied)
        let liquidations = liquidateAll(now: applied)
        return ParamsOutcome(version: paramsVersion, spec: spec, pending: pendingParams, record: record, liquidations: liquidations)
    }

    /// Applies the loosening changes whose time has come (called as the clock advances).
    mutating func applyDueParams(now: Timestamp) {
        var next = spec
        var applied: [ParamChange] = []
        while let first = pendingParams.first, first.effectiveAt <= now {
            pendingParams.removeFirst()
            var candidate = next
            let from = candidate.value(at: first.field)?.description ?? "null"
            // A change that no longer validates (another one moved a related bound) lapses.
            guard candidate.set(first.field, first.value), (try? candidate.validate()) != nil else { continue }
            next = candidate
            applied.append(ParamChange(field: first.field, from: from, to: first.value.description, effectiveAt: first.effectiveAt))
        }
        guard !applied.isEmpty else { return }
        for change in applied where change.field.hasSuffix(".maintenanceMarginFraction") {
            let market = String(change.field.dropFirst(8).dropLast(26))
            if let m = marketIndex[market] { markets[Int(m)].mmfRamp = nil }  // a lowered fraction applies at once
        }
        respecify(next, now: now)
        events.append(.paramsChanged(ParamsChangedEvent(segment: spec.id, version: paramsVersion, changes: applied, timestamp: now)))
        // The caller's command refreshes the mode and runs liquidations.
    }

    /// Installs a changed spec and rebuilds what derives from it.
    mutating func respecify(_ new: SegmentSpec, now: Timestamp) {
        spec = new
        for market in spec.markets.dropFirst(markets.count) {
            marketIndex[market.id] = Int32(markets.count)
            markets.append(MarketState(id: market.id))
            watches.append(LiquidationWatch())
        }
        collateralAssets = Self.collateralRules(spec: spec, marketIndex: marketIndex)
        dropWatches()  // fractions or weights moved: rebuild on the next tick
    }

    /// The market's maintenance fraction before the mode multiplier, with a governance ramp.
    func baseMaintenanceFraction(_ m: Int, at now: Timestamp) -> Int128 {
        let target = spec.markets[m].maintenanceMarginFraction.raw
        guard let ramp = markets[m].mmfRamp, ramp.to == target, ramp.to > ramp.from else { return target }
        return Self.rampValue(ramp, seconds: spec.regimes.mmRampSeconds, at: now)
    }

    /// A linear ramp in whole-second steps (as the regime multiplier's).
    static func rampValue(_ ramp: MultiplierRamp, seconds: Int64, at now: Timestamp) -> Int128 {
        let length = Int128(seconds)
        let elapsed = Int128(now.nanoseconds(since: ramp.start) / 1_000_000_000)
        guard length > 0, elapsed < length else { return ramp.to }
        guard elapsed > 0 else { return ramp.from }
        return ramp.from + (ramp.to - ramp.from) * elapsed / length
    }

    /// Whether a governance ramp is still below its target at `now`.
    func isGovernanceRamping(at now: Timestamp) -> Bool {
        for m in markets.indices {
            if let ramp = markets[m].mmfRamp, ramp.to > ramp.from, baseMaintenanceFraction(m, at: now) < ramp.to { return true }
        }
        return false
    }

    static func raw(_ value: ParamValue) -> Int128? {
        switch value {
        case .amount(let a): a.raw
        case .integer(let i): Int128(i) * Fixed.unit
        case .none: nil
        }
    }

    static func isTighter(_ rule: SegmentSpec.FieldRule, old: ParamValue, new: ParamValue) -> Bool {
        guard let o = raw(old) else { return true }  // adding an optional floor
        guard let n = raw(new) else { return false }  // removing it
        return rule.higherIsTighter ? n > o : n < o
    }

    /// Throws `param_step_too_large` naming the field, the step and the bound.
    static func checkStep(_ path: String, _ rule: SegmentSpec.FieldRule, old: ParamValue, new: ParamValue, bounds: GovernanceSpec) throws(EngineError) {
        guard let o = raw(old), let n = raw(new) else { return }  // an optional added or removed
        let move = n > o ? n - o : o - n
        func fail(_ step: String, _ bound: String) -> EngineError {
            EngineError(.invalid, code: "param_step_too_large",
                        message: "field '\(path)': step \(step) exceeds the bound \(bound) (from \(old) to \(new))")
        }
        switch rule.bound {
        case .fraction:
            if move > bounds.maxFractionStep.raw { throw fail(Amount(fixed: move).description, bounds.maxFractionStep.description) }
        case .weight:
            if move > bounds.maxWeightStep.raw { throw fail(Amount(fixed: move).description, bounds.maxWeightStep.description) }
        case .relative:
            guard o > 0, n > 0 else {
                if n <= 0 { throw EngineError(.invalid, code: "invalid_spec", message: "\(path): must be greater than 0") }
                return
            }
            let r = bounds.maxRelativeStep.raw
            // n ≤ o·R and n·R ≥ o, cross-multiplied exactly.
            if Fixed.compareProducts(n, Fixed.unit, o, r) > 0 || Fixed.compareProducts(n, r, o, Fixed.unit) < 0 {
                let factor = n > o ? (try? Amount.mulDiv(n, Fixed.unit, o, .up)) : (try? Amount.mulDiv(o, Fixed.unit, n, .up))
                throw fail("×\(factor.map { Amount(fixed: $0).description } ?? "∞")", "×\(bounds.maxRelativeStep)")
            }
        case .proportional:
            guard o > 0 else { return }  // nothing to be proportional to
            if Fixed.compareProducts(move, Fixed.unit, o, bounds.maxProportionalStep.raw) > 0 {
                let share = (try? Amount.mulDiv(move, Fixed.unit, o, .up)).map { Amount(fixed: $0).description } ?? "∞"
                throw fail("\(share) of the current value", bounds.maxProportionalStep.description)
            }
        }
    }
}
