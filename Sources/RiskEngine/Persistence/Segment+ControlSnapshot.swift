/// The live-control part of a snapshot (version 4): bad debt split, governance versions and
/// pending changes, the admin floor's reason, held prices and maintenance ramps per market.
extension Segment {
    func writeControlState(to w: inout ByteWriter) {
        w.i128(outstandingBadDebt)
        w.i128(socializedLossTotal)
        w.optionalTime(lastBadDebtAt)
        w.u64(paramsVersion)
        w.string(modeFloorReason)
        w.u32(UInt32(paramsHistory.count))
        for v in paramsHistory {
            w.u64(v.version); w.string(v.keyId); w.string(v.reason); w.time(v.timestamp)
            w.u32(UInt32(v.changes.count))
            for c in v.changes { w.paramChange(c) }
        }
        w.u32(UInt32(pendingParams.count))
        for p in pendingParams { w.string(p.field); w.paramValue(p.value); w.time(p.effectiveAt); w.u64(p.version) }
        for market in markets {
            w.bool(market.held != nil)
            if let h = market.held { w.string(h.source); w.i128(h.price); w.time(h.timestamp) }
            w.bool(market.mmfRamp != nil)
            if let r = market.mmfRamp { w.i128(r.from); w.i128(r.to); w.time(r.start) }
        }
    }

    mutating func readControlState(from r: inout ByteReader) throws(EngineError) {
        outstandingBadDebt = try r.i128()
        socializedLossTotal = try r.i128()
        lastBadDebtAt = try r.optionalTime()
        paramsVersion = try r.u64()
        modeFloorReason = try r.string()
        paramsHistory = []
        for _ in 0..<(try r.count(minSize: 32)) {
            let version = try r.u64(), keyId = try r.string(), reason = try r.string(), timestamp = try r.time()
            var changes: [ParamChange] = []
            for _ in 0..<(try r.count(minSize: 20)) { changes.append(try r.paramChange()) }
            paramsHistory.append(ParamsVersion(version: version, keyId: keyId, reason: reason, changes: changes, timestamp: timestamp))
        }
        pendingParams = []
        for _ in 0..<(try r.count(minSize: 21)) {
            pendingParams.append(PendingParam(field: try r.string(), value: try r.paramValue(), effectiveAt: try r.time(), version: try r.u64()))
        }
        for m in markets.indices {
            if try r.bool() { markets[m].held = SourcePrice(source: try r.string(), price: try r.i128(), timestamp: try r.time()) }
            if try r.bool() { markets[m].mmfRamp = MultiplierRamp(from: try r.i128(), to: try r.i128(), start: try r.time()) }
        }
    }
}

extension Segment {
    /// The format version of snapshot bytes (nil if they are not a snapshot).
    public static func snapshotFormat(of bytes: [UInt8]) -> UInt8? {
        guard bytes.count > snapshotMagic.count, Array(bytes.prefix(snapshotMagic.count)) == snapshotMagic else { return nil }
        return bytes[snapshotMagic.count]
    }

    public static var currentSnapshotFormat: UInt8 { snapshotVersion }
}
