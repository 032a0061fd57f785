/// Codec of the transfer commands, tags 10–19 (reserved for bridges; stored on disk, never
/// renumber): 10 debit, 11 credit, 12 settlement.
extension EngineCommand {
    static let transferTags: ClosedRange<UInt8> = 10...19

    func encodeTransfer(into w: inout ByteWriter) {
        switch self {
        case .transferDebit(let d):
            w.u8(10)
            w.u64(d.id); w.string(d.account); w.amount(d.amount)
            w.bytes.append(contentsOf: d.bridge.encoded())
            w.string(d.destinationMode.rawValue)
            w.time(d.arrival)
        case .transferCredit(let c):
            w.u8(11)
            w.u64(c.id); w.string(c.account); w.string(c.from); w.string(c.asset); w.amount(c.amount); w.time(c.arrival)
        case .transferSettlement(let s):
            w.u8(12)
            w.u64(s.id); w.string(s.outcome.rawValue); w.time(s.arrival)
        default:
            preconditionFailure("not a transfer command")
        }
    }

    static func decodeTransfer(tag: UInt8, from r: inout ByteReader) throws(EngineError) -> EngineCommand {
        switch tag {
        case 10:
            let id = try r.u64(), account = try r.string(maxLength: 64), amount = try r.amount()
            let bridge = try BridgeSpec.read(from: &r)
            guard let mode = SegmentMode(rawValue: try r.string()) else { throw r.malformed("mode") }
            return .transferDebit(TransferDebit(id: id, account: account, amount: amount, bridge: bridge, destinationMode: mode, arrival: try r.time()))
        case 11:
            return .transferCredit(TransferCredit(
                id: try r.u64(), account: try r.string(maxLength: 64), from: try r.string(maxLength: 64),
                asset: try r.string(maxLength: 64), amount: try r.amount(), arrival: try r.time()))
        case 12:
            let id = try r.u64()
            guard let outcome = TransferState(rawValue: try r.string()), outcome != .pending else { throw r.malformed("settlement") }
            return .transferSettlement(TransferSettlement(id: id, outcome: outcome, arrival: try r.time()))
        default:
            throw r.malformed("unknown command tag")
        }
    }
}
