/// Canonical snapshot: the spec, then every piece of state needed to continue identically
/// (accounts sorted by id, oracle per-source state, volatility, mode and ramp, liquidation
/// sequence, bad debt), followed by the retained liquidation history so that
/// `GET …/liquidations` survives a restart from a snapshot. `stateHash` digests the state part
/// only: the history is a record of decisions, not an input to them. Account indices are rebuilt from id order on restore, so two segments with the
/// same history but different account creation order still hash the same.
extension Segment {
    static let snapshotMagic: [UInt8] = Array("BKSEG".utf8)
    static let snapshotVersion: UInt8 = 4
    /// Version 3 (before bridges) is still read: it has no transfer sections.
    static let readableSnapshotVersions: ClosedRange<UInt8> = 3...4

    public func snapshot() -> [UInt8] {
        snapshotAndHash().bytes
    }

    /// The snapshot and its `stateHash` from one serialization (the state bytes are most of
    /// a snapshot's cost; computing them twice was what a periodic snapshot spent).
    public func snapshotAndHash() -> (bytes: [UInt8], stateHash: UInt64) {
        var w = ByteWriter()
        w.bytes = stateBytes()
        let hash = Self.stateHash(of: w.bytes)
        writeLiquidationHistory(to: &w)
        writeTransferHistory(to: &w)
        return (w.bytes, hash)
    }

    /// The state part of the snapshot (what `stateHash` digests).
    func stateBytes() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(256 + accounts.count * 96)  // a simple account is ~70 bytes
        w.bytes.append(contentsOf: Self.snapshotMagic)
        w.u8(Self.snapshotVersion)
        spec.write(to: &w)
        w.optionalString(modeOverride?.rawValue)
        w.string(volatilityMode.rawValue)
        w.optionalTime(calmSince)
        w.string(mode.rawValue)
        w.string(autoMode.rawValue)
        w.i128(mmRamp.from); w.i128(mmRamp.to); w.time(mmRamp.start)
        w.time(clock)
        w.i128(badDebt)
        w.u64(liquidationSequence)
        for market in markets {
            w.bool(market.index != nil)
            if let index = market.index { w.i128(index) }
            w.optionalTime(market.priceTime)
            w.u32(UInt32(market.sources.count))
            for s in market.sources { w.string(s.source); w.i128(s.price); w.time(s.timestamp) }
            let vol = market.volatility
            w.double(vol.variancePerSecond); w.i128(vol.lastPrice); w.time(vol.lastTime); w.bool(vol.initialized)
        }
        // The insurance account first, then the others sorted by id.
        let order = [0] + accounts.indices.dropFirst().sorted { accounts[$0].id < accounts[$1].id }
        w.u32(UInt32(order.count))
        for i in order {
            let a = accounts[i]
            w.string(a.id)
            w.i128(a.settlement)
            var others: [(Int, Int128)] = []
            for (k, v) in a.others.enumerated() where v != 0 { others.append((k, v)) }
            w.u32(UInt32(others.count))
            for (k, v) in others { w.u32(UInt32(k)); w.i128(v) }
            w.u32(UInt32(a.positions.count))
            for p in a.positions { w.u32(UInt32(p.market)); w.i128(p.size); w.i128(p.entry) }
        }
        writeTransferLedger(to: &w)
        return w.bytes
    }

    /// Rebuilds a segment from `snapshot()` bytes; throws on any malformed input.
    public init(snapshot bytes: [UInt8]) throws(EngineError) {
        var r = ByteReader(bytes, code: "malformed_snapshot")
        guard Array(try r.take(Self.snapshotMagic.count)) == Self.snapshotMagic else { throw r.malformed("not a segment snapshot") }
        let version = try r.u8()
        guard Self.readableSnapshotVersions.contains(version) else { throw r.malformed("not a segment snapshot") }
        let spec = try SegmentSpec.read(from: &r)
        do {
            try self.init(spec: spec)
        } catch {
            throw EngineError(.invalid, code: "malformed_snapshot", message: "invalid spec in snapshot: \(error.field): \(error.message)")
        }
        func mode(_ raw: String) throws(EngineError) -> SegmentMode {
            guard let m = SegmentMode(rawValue: raw) else { throw r.malformed("mode") }
            return m
        }
        if let raw = try r.optionalString() { modeOverride = try mode(raw) }
        volatilityMode = try mode(try r.string())
        calmSince = try r.optionalTime()
        self.mode = try mode(try r.string())
        autoMode = try mode(try r.string())
        mmRamp = MultiplierRamp(from: try r.i128(), to: try r.i128(), start: try r.time())
        clock = try r.time()
        badDebt = try r.i128()
        liquidationSequence = try r.u64()
        for m in markets.indices {
            if try r.bool() { markets[m].index = try r.i128() }
            markets[m].priceTime = try r.optionalTime()
            var sources: [SourcePrice] = []
            for _ in 0..<(try r.count(minSize: 28)) {
                sources.append(SourcePrice(source: try r.string(), price: try r.i128(), timestamp: try r.time()))
            }
            markets[m].sources = sources
            markets[m].volatility = VolatilityEstimate(
                variancePerSecond: try r.double(), lastPrice: try r.i128(), lastTime: try r.time(), initialized: try r.bool())
        }
        let accountCount = try r.count(minSize: 28)
        guard accountCount >= 1 else { throw r.malformed("missing insurance account") }
        accounts = []
        accounts.reserveCapacity(accountCount)
        accountIndex = [:]
        accountIndex.reserveCapacity(accountCount)
        var previous: String?
        for _ in 0..<accountCount {
            var account = Account(id: try r.string(maxLength: 64))
            if accounts.count >= 2, let previous {
                guard previous < account.id else { throw r.malformed("account order") }
            }
            previous = account.id
            account.settlement = try r.i128()
            guard account.settlement.magnitude <= Amount.limitRaw.magnitude else { throw r.malformed("balance out of range") }
            for _ in 0..<(try r.count(minSize: 20)) {
                let k = Int(try r.u32())
                guard k < collateralAssets.count else { throw r.malformed("collateral index") }
                let balance = try r.i128()
                guard balance >= 0, balance <= Amount.limitRaw else { throw r.malformed("balance out of range") }
                account.setOther(k, balance, count: collateralAssets.count)
            }
            var lastMarket: Int32 = -1
            for _ in 0..<(try r.count(minSize: 36)) {
                let m = Int32(truncatingIfNeeded: try r.u32())
                guard m > lastMarket, Int(m) < markets.count else { throw r.malformed("position market") }
                lastMarket = m
                let size = try r.i128(), entry = try r.i128()
                guard size != 0, size.magnitude <= Amount.limitRaw.magnitude, entry > 0, entry <= Amount.limitRaw else {
                    throw r.malformed("position out of range")
                }
                account.positions.append(Position(market: m, holderSlot: -1, size: size, entry: entry))
            }
            let isInsurance = account.id == Self.insuranceAccountId
            guard isInsurance == accounts.isEmpty, isInsurance || isIdentifier(account.id) else { throw r.malformed("account id") }
            let index = Int32(accounts.count)
            accounts.append(Account(id: account.id))
            accountIndex[account.id] = index
            commit(index, account)
        }
        if version >= 4 { try readTransferLedger(from: &r) }
        try readLiquidationHistory(from: &r)
        if version >= 4 { try readTransferHistory(from: &r) }
        guard r.isAtEnd else { throw r.malformed("trailing bytes") }
    }
}
