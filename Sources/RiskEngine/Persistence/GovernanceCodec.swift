/// Binary forms of the governance commands and state (same conventions as the command codec).
extension ByteWriter {
    mutating func paramValue(_ v: ParamValue) {
        switch v {
        case .none: u8(0)
        case .amount(let a): u8(1); amount(a)
        case .integer(let i): u8(2); i64(i)
        }
    }

    mutating func market(_ m: MarketSpec) {
        string(m.id); amount(m.initialMarginFraction); amount(m.maintenanceMarginFraction); amount(m.maxOpenInterest)
        bool(m.openInterestScaling != nil)
        if let s = m.openInterestScaling { amount(s.lower); amount(s.upper) }
    }

    mutating func paramChange(_ c: ParamChange) {
        string(c.field); string(c.from); string(c.to); time(c.effectiveAt)
    }

    mutating func paramsChange(_ c: ParamsChangeCommand) {
        bool(c.expectedVersion != nil)
        if let v = c.expectedVersion { u64(v) }
        string(c.keyId); string(c.reason)
        u32(UInt32(truncatingIfNeeded: c.fields.count))
        for f in c.fields { string(f.path); paramValue(f.value) }
        u32(UInt32(truncatingIfNeeded: c.addMarkets.count))
        for m in c.addMarkets { market(m) }
        u32(UInt32(truncatingIfNeeded: c.collateral.count))
        for e in c.collateral { string(e.asset); amount(e.weight); optionalString(e.priceMarket) }
        time(c.arrival)
    }
}

extension ByteReader {
    mutating func paramValue() throws(EngineError) -> ParamValue {
        switch try u8() {
        case 0: return .none
        case 1: return .amount(try amount())
        case 2: return .integer(try i64())
        default: throw malformed("parameter value")
        }
    }

    mutating func market() throws(EngineError) -> MarketSpec {
        let id = try string()
        let imf = try amount(), mmf = try amount(), cap = try amount()
        let scaling = try bool() ? OpenInterestScaling(lower: try amount(), upper: try amount()) : nil
        return MarketSpec(id: id, initialMarginFraction: imf, maintenanceMarginFraction: mmf, maxOpenInterest: cap, openInterestScaling: scaling)
    }

    mutating func paramChange() throws(EngineError) -> ParamChange {
        ParamChange(field: try string(), from: try string(), to: try string(), effectiveAt: try time())
    }

    mutating func paramsChange() throws(EngineError) -> ParamsChangeCommand {
        let expected: UInt64? = try bool() ? try u64() : nil
        let keyId = try string(), reason = try string()
        var fields: [ParamAssignment] = []
        for _ in 0..<(try count(minSize: 5)) { fields.append(ParamAssignment(path: try string(), value: try paramValue())) }
        var markets: [MarketSpec] = []
        for _ in 0..<(try count(minSize: 53)) { markets.append(try market()) }
        var collateral: [CollateralSpec] = []
        for _ in 0..<(try count(minSize: 21)) {
            collateral.append(CollateralSpec(asset: try string(), weight: try amount(), priceMarket: try optionalString()))
        }
        return ParamsChangeCommand(
            expectedVersion: expected, keyId: keyId, reason: reason, fields: fields, addMarkets: markets, collateral: collateral,
            arrival: try time())
    }
}
