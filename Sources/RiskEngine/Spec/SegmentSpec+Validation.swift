extension SegmentSpec {
    /// Most markets one segment may define (bounds per-account position arrays).
    public static let maxMarkets = 256
    /// Most collateral assets one segment may define.
    public static let maxCollateral = 64

    /// Checks every rule of API.md "Segments" and RISK.md; the first failure names its field.
    public func validate() throws(SpecError) {
        func fail(_ field: String, _ message: String) -> SpecError { SpecError(field: field, message: message) }
        func identifier(_ value: String, _ field: String) throws(SpecError) {
            guard isIdentifier(value) else { throw fail(field, "must be 1–64 characters of [A-Za-z0-9._-]") }
        }
        func fraction(_ value: Amount, _ field: String) throws(SpecError) {
            guard value.isPositive, value <= .one else { throw fail(field, "must be in (0, 1]") }
        }
        func positive(_ value: Amount, _ field: String) throws(SpecError) {
            guard value.isPositive else { throw fail(field, "must be greater than 0") }
        }
        func nonNegative(_ value: Amount, _ field: String) throws(SpecError) {
            guard !value.isNegative else { throw fail(field, "must not be negative") }
        }

        try identifier(id, "id")
        try identifier(settlementAsset, "settlementAsset")

        guard !markets.isEmpty else { throw fail("markets", "a segment needs at least one market") }
        guard markets.count <= Self.maxMarkets else { throw fail("markets", "at most \(Self.maxMarkets) markets") }
        var marketIds = Set<String>()
        for (i, market) in markets.enumerated() {
            let path = "markets[\(i)]"
            try identifier(market.id, "\(path).id")
            guard marketIds.insert(market.id).inserted else { throw fail("\(path).id", "duplicate market '\(market.id)'") }
            try fraction(market.initialMarginFraction, "\(path).initialMarginFraction")
            try fraction(market.maintenanceMarginFraction, "\(path).maintenanceMarginFraction")
            guard market.maintenanceMarginFraction <= market.initialMarginFraction else {
                throw fail("\(path).maintenanceMarginFraction", "must not exceed initialMarginFraction")
            }
            // MMF·(1+buffer) > penalty, so a liquidation step always improves E − MM.
            let buffered = try? market.maintenanceMarginFraction.times(.one + liquidation.buffer, .down)
            guard let buffered, buffered > liquidation.penalty else {
                throw fail("\(path).maintenanceMarginFraction", "maintenanceMarginFraction·(1+liquidation.buffer) must be above liquidation.penalty")
            }
            try positive(market.maxOpenInterest, "\(path).maxOpenInterest")
            if let scaling = market.openInterestScaling {
                try positive(scaling.lower, "\(path).openInterestScaling.lower")
                try positive(scaling.upper, "\(path).openInterestScaling.upper")
                guard scaling.lower < scaling.upper else {
                    throw fail("\(path).openInterestScaling.upper", "must be greater than lower")
                }
            }
        }

        guard collateral.count <= Self.maxCollateral else { throw fail("collateral", "at most \(Self.maxCollateral) assets") }
        var assets = Set<String>()
        for (i, entry) in collateral.enumerated() {
            let path = "collateral[\(i)]"
            try identifier(entry.asset, "\(path).asset")
            guard assets.insert(entry.asset).inserted else { throw fail("\(path).asset", "duplicate asset '\(entry.asset)'") }
            try fraction(entry.weight, "\(path).weight")
            if entry.asset == settlementAsset {
                guard entry.weight == .one else { throw fail("\(path).weight", "the settlement asset has weight 1") }
                if let market = entry.priceMarket, !marketIds.contains(market) {
                    throw fail("\(path).priceMarket", "market '\(market)' is not one of the segment's markets")
                }
            } else {
                guard let market = entry.priceMarket else {
                    throw fail("\(path).priceMarket", "required for collateral other than the settlement asset")
                }
                guard marketIds.contains(market) else {
                    throw fail("\(path).priceMarket", "market '\(market)' is not one of the segment's markets")
                }
            }
        }

        guard oracle.maxAgeSeconds > 0 else { throw fail("oracle.maxAgeSeconds", "must be greater than 0") }
        guard oracle.liquidationMaxAgeSeconds >= oracle.maxAgeSeconds else {
            throw fail("oracle.liquidationMaxAgeSeconds", "must be at least maxAgeSeconds")
        }
        guard oracle.maxFutureSkewSeconds >= 0 else { throw fail("oracle.maxFutureSkewSeconds", "must not be negative") }
        try positive(oracle.maxJump, "oracle.maxJump")
        guard oracle.minSources >= 1, oracle.minSources <= 1_000 else { throw fail("oracle.minSources", "must be in 1…1000") }
        let secondsLimit: Int64 = 9_000_000_000  // keeps nanosecond arithmetic in range
        for (value, field) in [
            (oracle.maxAgeSeconds, "oracle.maxAgeSeconds"), (oracle.liquidationMaxAgeSeconds, "oracle.liquidationMaxAgeSeconds"),
            (oracle.maxFutureSkewSeconds, "oracle.maxFutureSkewSeconds"), (regimes.ewmaHalfLifeSeconds, "regimes.ewmaHalfLifeSeconds"),
            (regimes.cooldownSeconds, "regimes.cooldownSeconds"), (regimes.mmRampSeconds, "regimes.mmRampSeconds"),
            (regimes.volatilitySampleSeconds, "regimes.volatilitySampleSeconds"),
            (oracle.jumpConfirmSeconds, "oracle.jumpConfirmSeconds"),
            (governance.looseningDelaySeconds, "governance.looseningDelaySeconds"),
        ] where value > secondsLimit {
            throw fail(field, "must be at most \(secondsLimit) seconds")
        }

        guard oracle.jumpConfirmSeconds >= 0 else { throw fail("oracle.jumpConfirmSeconds", "must not be negative") }
        try nonNegative(governance.maxFractionStep, "governance.maxFractionStep")
        guard governance.maxRelativeStep >= .one else { throw fail("governance.maxRelativeStep", "must be at least 1") }
        try nonNegative(governance.maxWeightStep, "governance.maxWeightStep")
        try nonNegative(governance.maxProportionalStep, "governance.maxProportionalStep")
        guard governance.looseningDelaySeconds >= 0 else { throw fail("governance.looseningDelaySeconds", "must not be negative") }

        try nonNegative(liquidation.penalty, "liquidation.penalty")
        try nonNegative(liquidation.buffer, "liquidation.buffer")
        try fraction(liquidation.maxPortion, "liquidation.maxPortion")
        try nonNegative(liquidation.minNotional, "liquidation.minNotional")
        try nonNegative(insuranceFund, "insuranceFund")
        if let floor = withdrawalFloor { try nonNegative(floor, "withdrawalFloor") }
        if let floor = insuranceFundFloor { try nonNegative(floor, "insuranceFundFloor") }

        guard regimes.ewmaHalfLifeSeconds > 0 else { throw fail("regimes.ewmaHalfLifeSeconds", "must be greater than 0") }
        guard !regimes.hysteresis.isNegative, regimes.hysteresis < .one else { throw fail("regimes.hysteresis", "must be in [0, 1)") }
        guard regimes.cooldownSeconds >= 0 else { throw fail("regimes.cooldownSeconds", "must not be negative") }
        guard regimes.mmRampSeconds >= 0 else { throw fail("regimes.mmRampSeconds", "must not be negative") }
        guard regimes.volatilitySampleSeconds >= 0 else {
            throw fail("regimes.volatilitySampleSeconds", "must not be negative")
        }
        let levels = [("elevated", regimes.elevated), ("isolated", regimes.isolated), ("reduceOnly", regimes.reduceOnly)]
        var previous: RegimeThreshold?
        for (name, level) in levels {
            let path = "regimes.\(name)"
            try positive(level.volatility, "\(path).volatility")
            guard level.initialMarginMultiplier >= .one, level.initialMarginMultiplier <= Amount(100) else {
                throw fail("\(path).initialMarginMultiplier", "must be in [1, 100]")
            }
            guard level.maintenanceMarginMultiplier >= .one, level.maintenanceMarginMultiplier <= Amount(100) else {
                throw fail("\(path).maintenanceMarginMultiplier", "must be in [1, 100]")
            }
            if let previous {
                guard level.volatility > previous.volatility else { throw fail("\(path).volatility", "thresholds must increase") }
                guard level.initialMarginMultiplier >= previous.initialMarginMultiplier else {
                    throw fail("\(path).initialMarginMultiplier", "must not decrease with severity")
                }
                guard level.maintenanceMarginMultiplier >= previous.maintenanceMarginMultiplier else {
                    throw fail("\(path).maintenanceMarginMultiplier", "must not decrease with severity")
                }
            }
            previous = level
        }
    }
}
