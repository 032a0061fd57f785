/// Versioned binary codec for journaled commands: `[version=1][tag][fields…]`, little-endian,
/// strings length-prefixed. Decoding rejects any malformed or trailing bytes with `EngineError`.
extension EngineCommand {
    static let codecVersion: UInt8 = 1

    public func encoded() -> [UInt8] {
        var w = ByteWriter()
        w.bytes.reserveCapacity(128)  // a fill or a one-price tick fits: one allocation, no regrowth
        w.u8(Self.codecVersion)
        switch self {
        case .fill(let f):
            w.u8(1)
            w.string(f.account); w.string(f.market); w.amount(f.size); w.amount(f.price); w.amount(f.fee); w.time(f.arrival)
        case .collateral(let c):
            w.u8(2)
            w.string(c.account); w.string(c.asset); w.amount(c.amount); w.time(c.arrival)
        case .prices(let batch):
            w.u8(3)
            w.time(batch.arrival)
            w.u32(UInt32(truncatingIfNeeded: batch.prices.count))
            for p in batch.prices { w.string(p.market); w.amount(p.price); w.time(p.timestamp); w.string(p.source) }
        case .setModeOverride(let mode, let arrival):
            w.u8(4)
            w.optionalString(mode?.rawValue)
            w.time(arrival)
        case .transferDebit, .transferCredit, .transferSettlement:
            encodeTransfer(into: &w)
        }
        return w.bytes
    }

    public init(decoding bytes: [UInt8]) throws(EngineError) {
        var r = ByteReader(bytes, code: "malformed_command")
        guard try r.u8() == Self.codecVersion else { throw r.malformed("unsupported version") }
        switch try r.u8() {
        case 1:
            self = .fill(FillCommand(
                account: try r.string(), market: try r.string(), size: try r.amount(), price: try r.amount(),
                fee: try r.amount(), arrival: try r.time()))
        case 2:
            self = .collateral(CollateralCommand(account: try r.string(), asset: try r.string(), amount: try r.amount(), arrival: try r.time()))
        case 3:
            let arrival = try r.time()
            let n = try r.count(minSize: 4 + 16 + 8 + 4)
            var prices: [PriceInput] = []
            prices.reserveCapacity(n)
            for _ in 0..<n {
                prices.append(PriceInput(market: try r.string(), price: try r.amount(), timestamp: try r.time(), source: try r.string()))
            }
            self = .prices(PriceBatch(prices: prices, arrival: arrival))
        case 4:
            let raw = try r.optionalString()
            var mode: SegmentMode?
            if let raw {
                guard let parsed = SegmentMode(rawValue: raw) else { throw r.malformed("mode") }
                mode = parsed
            }
            self = .setModeOverride(mode, arrival: try r.time())
        case let tag where Self.transferTags.contains(tag):
            self = try Self.decodeTransfer(tag: tag, from: &r)
        default:
            throw r.malformed("unknown command tag")
        }
        guard r.isAtEnd else { throw r.malformed("trailing bytes") }
    }
}
