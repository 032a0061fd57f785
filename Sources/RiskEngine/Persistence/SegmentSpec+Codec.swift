/// Binary form of a spec inside a snapshot (same conventions as the command codec).
extension SegmentSpec {
    func write(to w: inout ByteWriter) {
        w.string(id)
        w.string(settlementAsset)
        w.u32(UInt32(collateral.count))
        for c in collateral { w.string(c.asset); w.amount(c.weight); w.optionalString(c.priceMarket) }
        w.u32(UInt32(markets.count))
        for m in markets {
            w.string(m.id); w.amount(m.initialMarginFraction); w.amount(m.maintenanceMarginFraction); w.amount(m.maxOpenInterest)
            w.bool(m.openInterestScaling != nil)
            if let s = m.openInterestScaling { w.amount(s.lower); w.amount(s.upper) }
        }
        w.i64(oracle.maxAgeSeconds); w.i64(oracle.liquidationMaxAgeSeconds); w.i64(oracle.maxFutureSkewSeconds)
        w.amount(oracle.maxJump); w.int(oracle.minSources)
        w.amount(liquidation.penalty); w.amount(liquidation.buffer); w.amount(liquidation.maxPortion); w.amount(liquidation.minNotional)
        w.amount(insuranceFund)
        w.i64(regimes.ewmaHalfLifeSeconds); w.amount(regimes.hysteresis); w.i64(regimes.cooldownSeconds); w.i64(regimes.mmRampSeconds)
        w.i64(regimes.volatilitySampleSeconds)
        for t in [regimes.elevated, regimes.isolated, regimes.reduceOnly] {
            w.amount(t.volatility); w.amount(t.initialMarginMultiplier); w.amount(t.maintenanceMarginMultiplier)
        }
        w.optionalAmount(withdrawalFloor)
        w.optionalAmount(insuranceFundFloor)
        // Snapshot version 4 on.
        w.i64(oracle.jumpConfirmSeconds)
        w.amount(governance.maxFractionStep); w.amount(governance.maxRelativeStep); w.amount(governance.maxWeightStep)
        w.amount(governance.maxProportionalStep); w.i64(governance.looseningDelaySeconds)
    }

    /// `version`: the snapshot version (3 has neither `jumpConfirmSeconds` nor `governance`).
    static func read(from r: inout ByteReader, version: UInt8 = Segment.snapshotVersion) throws(EngineError) -> SegmentSpec {
        let id = try r.string(), settlement = try r.string()
        var collateral: [CollateralSpec] = []
        for _ in 0..<(try r.count(minSize: 22)) {
            collateral.append(CollateralSpec(asset: try r.string(), weight: try r.amount(), priceMarket: try r.optionalString()))
        }
        var markets: [MarketSpec] = []
        for _ in 0..<(try r.count(minSize: 53)) {
            let mid = try r.string()
            let imf = try r.amount(), mmf = try r.amount(), cap = try r.amount()
            let scaling = try r.bool() ? OpenInterestScaling(lower: try r.amount(), upper: try r.amount()) : nil
            markets.append(MarketSpec(id: mid, initialMarginFraction: imf, maintenanceMarginFraction: mmf, maxOpenInterest: cap, openInterestScaling: scaling))
        }
        let oracle = OracleSpec(
            maxAgeSeconds: try r.i64(), liquidationMaxAgeSeconds: try r.i64(), maxFutureSkewSeconds: try r.i64(),
            maxJump: try r.amount(), minSources: try r.int())
        let liquidation = LiquidationSpec(penalty: try r.amount(), buffer: try r.amount(), maxPortion: try r.amount(), minNotional: try r.amount())
        let fund = try r.amount()
        let halfLife = try r.i64(), hysteresis = try r.amount(), cooldown = try r.i64(), ramp = try r.i64()
        let sample = try r.i64()
        var thresholds: [RegimeThreshold] = []
        for _ in 0..<3 {
            thresholds.append(RegimeThreshold(volatility: try r.amount(), initialMarginMultiplier: try r.amount(), maintenanceMarginMultiplier: try r.amount()))
        }
        let regimes = RegimeSpec(
            ewmaHalfLifeSeconds: halfLife, hysteresis: hysteresis, cooldownSeconds: cooldown, mmRampSeconds: ramp,
            volatilitySampleSeconds: sample, elevated: thresholds[0], isolated: thresholds[1], reduceOnly: thresholds[2])
        var spec = SegmentSpec(
            id: id, settlementAsset: settlement, collateral: collateral, markets: markets, oracle: oracle,
            liquidation: liquidation, insuranceFund: fund, regimes: regimes,
            withdrawalFloor: try r.optionalAmount(), insuranceFundFloor: try r.optionalAmount())
        if version >= 4 {
            spec.oracle.jumpConfirmSeconds = try r.i64()
            spec.governance = GovernanceSpec(
                maxFractionStep: try r.amount(), maxRelativeStep: try r.amount(), maxWeightStep: try r.amount(),
                maxProportionalStep: try r.amount(), looseningDelaySeconds: try r.i64())
        }
        return spec
    }
}
