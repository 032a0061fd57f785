/// Binary form of a bridge for the journal's reserved bridge stream:
/// `[version=1][from][to][asset][windowSeconds][windowLimit][maxTransfer][elevatedFactor][enabled]`.
/// A removal stores only the key. Stored on disk: extend with a new version, never reorder.
extension BridgeSpec {
    static let codecVersion: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(Self.codecVersion)
        w.string(from); w.string(to); w.string(asset)
        w.i64(windowSeconds)
        w.amount(windowLimit); w.amount(maxTransfer); w.amount(elevatedFactor)
        w.bool(enabled)
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws(EngineError) {
        var r = ByteReader(bytes, code: "malformed_bridge")
        self = try Self.read(from: &r)
        guard r.isAtEnd else { throw r.malformed("trailing bytes") }
    }

    /// Reads `encoded()` from inside a larger record (a transfer debit embeds its bridge).
    static func read(from r: inout ByteReader) throws(EngineError) -> BridgeSpec {
        guard try r.u8() == Self.codecVersion else { throw r.malformed("unsupported bridge version") }
        return BridgeSpec(
            from: try r.string(maxLength: 64), to: try r.string(maxLength: 64), asset: try r.string(maxLength: 64),
            windowSeconds: try r.i64(), windowLimit: try r.amount(), maxTransfer: try r.amount(),
            elevatedFactor: try r.amount(), enabled: try r.bool())
    }
}

extension BridgeKey {
    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.u8(BridgeSpec.codecVersion)
        w.string(from); w.string(to); w.string(asset)
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws(EngineError) {
        var r = ByteReader(bytes, code: "malformed_bridge")
        guard try r.u8() == BridgeSpec.codecVersion else { throw r.malformed("unsupported version") }
        self.init(from: try r.string(maxLength: 64), to: try r.string(maxLength: 64), asset: try r.string(maxLength: 64))
        guard r.isAtEnd else { throw r.malformed("trailing bytes") }
    }
}
