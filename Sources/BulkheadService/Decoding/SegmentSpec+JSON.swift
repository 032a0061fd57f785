import RiskEngine

extension SegmentSpec {
    /// Decodes API.md's SegmentSpec; shape and types only (rules are `validate()`'s).
    init(json value: JSONValue, path: String = "") throws(APIError) {
        let spec = try FieldReader(value, path: path)
        var collateral: [CollateralSpec] = []
        for entry in try spec.objects("collateral") {
            collateral.append(
                CollateralSpec(
                    asset: try entry.identifier("asset"), weight: try entry.amount("weight"),
                    priceMarket: try entry.optionalIdentifier("priceMarket")))
        }
        var markets: [MarketSpec] = []
        for entry in try spec.objects("markets") {
            var scaling: OpenInterestScaling?
            if let oi = try entry.optionalObject("openInterestScaling") {
                scaling = OpenInterestScaling(lower: try oi.amount("lower"), upper: try oi.amount("upper"))
            }
            markets.append(
                MarketSpec(
                    id: try entry.identifier("id"), initialMarginFraction: try entry.amount("initialMarginFraction"),
                    maintenanceMarginFraction: try entry.amount("maintenanceMarginFraction"),
                    maxOpenInterest: try entry.amount("maxOpenInterest"), openInterestScaling: scaling))
        }
        let oracle = try spec.object("oracle")
        let liquidation = try spec.object("liquidation")
        let regimes = try spec.object("regimes")
        func threshold(_ name: String) throws(APIError) -> RegimeThreshold {
            let entry = try regimes.object(name)
            return RegimeThreshold(
                volatility: try entry.amount("volatility"), initialMarginMultiplier: try entry.amount("initialMarginMultiplier"),
                maintenanceMarginMultiplier: try entry.amount("maintenanceMarginMultiplier"))
        }
        self.init(
            id: try spec.identifier("id"),
            settlementAsset: try spec.identifier("settlementAsset"),
            collateral: collateral,
            markets: markets,
            oracle: OracleSpec(
                maxAgeSeconds: try oracle.integer("maxAgeSeconds"),
                liquidationMaxAgeSeconds: try oracle.integer("liquidationMaxAgeSeconds"),
                maxFutureSkewSeconds: try oracle.integer("maxFutureSkewSeconds"),
                maxJump: try oracle.amount("maxJump"),
                minSources: Int(try oracle.integer("minSources", in: 0...1_000))),
            liquidation: LiquidationSpec(
                penalty: try liquidation.amount("penalty"), buffer: try liquidation.amount("buffer"),
                maxPortion: try liquidation.amount("maxPortion"), minNotional: try liquidation.amount("minNotional")),
            insuranceFund: try spec.amount("insuranceFund"),
            regimes: RegimeSpec(
                ewmaHalfLifeSeconds: try regimes.integer("ewmaHalfLifeSeconds"),
                hysteresis: try regimes.amount("hysteresis"),
                cooldownSeconds: try regimes.integer("cooldownSeconds"),
                mmRampSeconds: try regimes.integer("mmRampSeconds"),
                volatilitySampleSeconds: regimes.optional("volatilitySampleSeconds") == nil
                    ? 0 : try regimes.integer("volatilitySampleSeconds"),
                elevated: try threshold("elevated"), isolated: try threshold("isolated"), reduceOnly: try threshold("reduceOnly")),
            withdrawalFloor: try spec.optionalAmount("withdrawalFloor"),
            insuranceFundFloor: try spec.optionalAmount("insuranceFundFloor"))
    }

    /// Writes the spec in API.md's member order.
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("settlementAsset"); json.string(settlementAsset)
        json.key("collateral"); Self.write(collateral: collateral, to: &json)
        json.key("markets")
        json.array(markets) { json, market in
            json.beginObject()
            json.key("id"); json.string(market.id)
            json.key("initialMarginFraction"); json.amount(market.initialMarginFraction)
            json.key("maintenanceMarginFraction"); json.amount(market.maintenanceMarginFraction)
            json.key("maxOpenInterest"); json.amount(market.maxOpenInterest)
            if let scaling = market.openInterestScaling {
                json.key("openInterestScaling")
                json.beginObject()
                json.key("lower"); json.amount(scaling.lower)
                json.key("upper"); json.amount(scaling.upper)
                json.endObject()
            }
            json.endObject()
        }
        json.key("oracle")
        json.beginObject()
        json.key("maxAgeSeconds"); json.int(oracle.maxAgeSeconds)
        json.key("liquidationMaxAgeSeconds"); json.int(oracle.liquidationMaxAgeSeconds)
        json.key("maxFutureSkewSeconds"); json.int(oracle.maxFutureSkewSeconds)
        json.key("maxJump"); json.amount(oracle.maxJump)
        json.key("minSources"); json.int(oracle.minSources)
        json.endObject()
        json.key("liquidation")
        json.beginObject()
        json.key("penalty"); json.amount(liquidation.penalty)
        json.key("buffer"); json.amount(liquidation.buffer)
        json.key("maxPortion"); json.amount(liquidation.maxPortion)
        json.key("minNotional"); json.amount(liquidation.minNotional)
        json.endObject()
        json.key("insuranceFund"); json.amount(insuranceFund)
        json.key("regimes")
        json.beginObject()
        json.key("ewmaHalfLifeSeconds"); json.int(regimes.ewmaHalfLifeSeconds)
        json.key("hysteresis"); json.amount(regimes.hysteresis)
        json.key("cooldownSeconds"); json.int(regimes.cooldownSeconds)
        json.key("mmRampSeconds"); json.int(regimes.mmRampSeconds)
        json.key("volatilitySampleSeconds"); json.int(regimes.volatilitySampleSeconds)
        for (name, threshold) in [("elevated", regimes.elevated), ("isolated", regimes.isolated), ("reduceOnly", regimes.reduceOnly)] {
            json.key(dynamic: name)
            json.beginObject()
            json.key("volatility"); json.amount(threshold.volatility)
            json.key("initialMarginMultiplier"); json.amount(threshold.initialMarginMultiplier)
            json.key("maintenanceMarginMultiplier"); json.amount(threshold.maintenanceMarginMultiplier)
            json.endObject()
        }
        json.endObject()
        if let withdrawalFloor {
            json.key("withdrawalFloor"); json.amount(withdrawalFloor)
        }
        if let insuranceFundFloor {
            json.key("insuranceFundFloor"); json.amount(insuranceFundFloor)
        }
        json.endObject()
    }

    static func write(collateral: [CollateralSpec], to json: inout JSONWriter) {
        json.array(collateral) { json, entry in
            json.beginObject()
            json.key("asset"); json.string(entry.asset)
            json.key("weight"); json.amount(entry.weight)
            if let market = entry.priceMarket {
                json.key("priceMarket"); json.string(market)
            }
            json.endObject()
        }
    }

    /// Canonical JSON bytes (journal payload of a segment creation).
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 1024)
        write(to: &json)
        return json.bytes
    }
}
