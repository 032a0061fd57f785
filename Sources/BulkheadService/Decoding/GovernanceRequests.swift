import RiskEngine

/// Body of `PUT …/params` (API.md "Governance"): every field optional, a field present
/// replaces that value. Decoded into paths the engine checks against the spec's bounds.
enum ParamsRequest {
    static func command(json: JSONValue, keyID: String) throws(APIError) -> ParamsChangeCommand {
        let body = try FieldReader(json)
        var expected: UInt64?
        if body.optional("expectedVersion") != nil { expected = UInt64(try body.integer("expectedVersion", in: 0...Int64.max)) }
        let reason = try body.optionalString("reason") ?? ""
        guard reason.utf8.count <= 1_000 else { throw .invalidField("reason", "at most 1000 bytes") }
        var fields: [ParamAssignment] = []
        func amount(_ reader: FieldReader, _ name: String, _ path: String) throws(APIError) {
            if reader.optional(name) != nil { fields.append(ParamAssignment(path: path, value: .amount(try reader.amount(name)))) }
        }
        func integer(_ reader: FieldReader, _ name: String, _ path: String) throws(APIError) {
            if reader.optional(name) != nil {
                fields.append(ParamAssignment(path: path, value: .integer(try reader.integer(name, in: 0...9_000_000_000))))
            }
        }
        if body.optional("markets") != nil {
            for market in try body.objects("markets") {
                let id = try market.identifier("id")
                for name in ["initialMarginFraction", "maintenanceMarginFraction", "maxOpenInterest"] {
                    try amount(market, name, "markets.\(id).\(name)")
                }
                if market.optional("openInterestScaling") != nil {
                    throw .invalidField(market.name("openInterestScaling"), "cannot be changed by a params step")
                }
            }
        }
        var addMarkets: [MarketSpec] = []
        if body.optional("addMarkets") != nil {
            for entry in try body.objects("addMarkets") {
                var scaling: OpenInterestScaling?
                if let oi = try entry.optionalObject("openInterestScaling") {
                    scaling = OpenInterestScaling(lower: try oi.amount("lower"), upper: try oi.amount("upper"))
                }
                addMarkets.append(MarketSpec(
                    id: try entry.identifier("id"), initialMarginFraction: try entry.amount("initialMarginFraction"),
                    maintenanceMarginFraction: try entry.amount("maintenanceMarginFraction"),
                    maxOpenInterest: try entry.amount("maxOpenInterest"), openInterestScaling: scaling))
            }
        }
        var collateral: [CollateralSpec] = []
        if body.optional("collateral") != nil {
            for entry in try body.objects("collateral") {
                collateral.append(CollateralSpec(
                    asset: try entry.identifier("asset"), weight: try entry.amount("weight"),
                    priceMarket: try entry.optionalIdentifier("priceMarket")))
            }
        }
        if let oracle = try body.optionalObject("oracle") {
            for name in ["maxAgeSeconds", "liquidationMaxAgeSeconds", "maxFutureSkewSeconds", "minSources", "jumpConfirmSeconds"] {
                try integer(oracle, name, "oracle.\(name)")
            }
            try amount(oracle, "maxJump", "oracle.maxJump")
        }
        if let liquidation = try body.optionalObject("liquidation") {
            for name in ["penalty", "buffer", "maxPortion", "minNotional"] { try amount(liquidation, name, "liquidation.\(name)") }
        }
        if let regimes = try body.optionalObject("regimes") {
            for name in ["ewmaHalfLifeSeconds", "cooldownSeconds", "mmRampSeconds", "volatilitySampleSeconds"] {
                try integer(regimes, name, "regimes.\(name)")
            }
            try amount(regimes, "hysteresis", "regimes.hysteresis")
            for level in ["elevated", "isolated", "reduceOnly"] {
                guard let threshold = try regimes.optionalObject(level) else { continue }
                for name in ["volatility", "initialMarginMultiplier", "maintenanceMarginMultiplier"] {
                    try amount(threshold, name, "regimes.\(level).\(name)")
                }
            }
        }
        if let floor = body.object["insuranceFundFloor"] {
            fields.append(ParamAssignment(
                path: "insuranceFundFloor", value: floor == .null ? ParamValue.none : .amount(try body.amount("insuranceFundFloor"))))
        }
        if body.optional("governance") != nil {
            throw .invalidField("governance", "the bounds themselves cannot be changed through params")
        }
        return ParamsChangeCommand(
            expectedVersion: expected, keyId: keyID, reason: reason, fields: fields, addMarkets: addMarkets, collateral: collateral,
            arrival: Timestamp(nanoseconds: 0))
    }
}

/// Body of `PUT …/mode`.
enum ModeRequest {
    static func command(json: JSONValue, keyID: String) throws(APIError) -> ModeFloorCommand {
        let body = try FieldReader(json)
        let text = try body.string("mode")
        let mode: SegmentMode?
        switch text {
        case "auto": mode = nil
        case "isolated": mode = .isolated
        case "reduce_only": mode = .reduceOnly
        case "halted": mode = .halted
        default: throw .invalidField("mode", "must be one of isolated, reduce_only, halted, auto")
        }
        let reason = try body.optionalString("reason") ?? ""
        guard reason.utf8.count <= 1_000 else { throw .invalidField("reason", "at most 1000 bytes") }
        return ModeFloorCommand(mode: mode, reason: reason, keyId: keyID, arrival: Timestamp(nanoseconds: 0))
    }
}

/// Body of `POST …/insurance`.
enum InsuranceRequest {
    static func command(json: JSONValue, keyID: String) throws(APIError) -> InsuranceTopUpCommand {
        let body = try FieldReader(json)
        // A well-formed amount ≤ 0 is the engine's to refuse (422 invalid_amount, as a transfer's):
        // API.md keeps 400 for malformed input.
        let amount = try body.amount("amount")
        let reason = try body.optionalString("reason") ?? ""
        guard reason.utf8.count <= 1_000 else { throw .invalidField("reason", "at most 1000 bytes") }
        return InsuranceTopUpCommand(amount: amount, reason: reason, keyId: keyID, arrival: Timestamp(nanoseconds: 0))
    }
}
