/// The transfer parts of a snapshot (version 4): the ledger in the hashed state part
/// (pending by id, windows by key, credited ids oldest first, last id), the settled history
/// in the trailing history part (a record, not an input to decisions).
extension Segment {
    func writeTransferLedger(to w: inout ByteWriter) {
        let pending = pendingTransfers
        w.u32(UInt32(pending.count))
        for record in pending { writeTransfer(record, to: &w) }
        let keys = transfers.windows.keys.sorted()
        w.u32(UInt32(keys.count))
        for key in keys {
            let window = transfers.windows[key]!
            w.string(key.to); w.string(key.asset); w.i64(window.horizonSeconds)
            w.u32(UInt32(window.entries.count))
            for entry in window.entries { w.time(entry.time); w.i128(entry.amount) }
        }
        let credited = transfers.credited.ids
        w.u32(UInt32(credited.count))
        for id in credited { w.u64(id) }
        w.u64(transfers.lastId)
    }

    mutating func readTransferLedger(from r: inout ByteReader) throws(EngineError) {
        var ledger = TransferLedger()
        for _ in 0..<(try r.count(minSize: 8 + 1 + 4 * 4 + 16 + 8)) {
            let record = try readTransfer(from: &r)
            guard record.state == .pending, record.from == spec.id, ledger.pending[record.id] == nil else { throw r.malformed("pending transfer") }
            ledger.pending[record.id] = record
        }
        for _ in 0..<(try r.count(minSize: 4 + 4 + 8 + 4)) {
            let key = WindowKey(to: try r.string(maxLength: 64), asset: try r.string(maxLength: 64))
            var window = TransferWindow()
            window.horizonSeconds = try r.i64()
            let count = try r.count(minSize: 24)
            guard count <= TransferWindow.capacity, ledger.windows[key] == nil else { throw r.malformed("transfer window") }
            for _ in 0..<count {
                let entry = TransferWindow.Entry(time: try r.time(), amount: try r.i128())
                guard entry.amount > 0, window.entries.last.map({ $0.time <= entry.time }) ?? true else { throw r.malformed("transfer window") }
                window.entries.append(entry)
            }
            ledger.windows[key] = window
        }
        let credited = try r.count(minSize: 8)
        guard credited <= CreditedTransfers.capacity else { throw r.malformed("credited transfers") }
        for _ in 0..<credited { ledger.credited.insert(try r.u64()) }
        ledger.lastId = try r.u64()
        transfers = ledger
    }

    func writeTransferHistory(to w: inout ByteWriter) {
        w.u32(UInt32(transfers.history.count))
        for record in transfers.history { writeTransfer(record, to: &w) }
    }

    mutating func readTransferHistory(from r: inout ByteReader) throws(EngineError) {
        var history: [TransferRecord] = []
        for _ in 0..<(try r.count(minSize: 8 + 1 + 4 * 4 + 16 + 8)) {
            let record = try readTransfer(from: &r)
            guard record.state != .pending else { throw r.malformed("transfer history") }
            history.append(record)
        }
        transfers.history = history
    }

    private func writeTransfer(_ record: TransferRecord, to w: inout ByteWriter) {
        w.u64(record.id)
        w.u8(record.state == .pending ? 0 : record.state == .completed ? 1 : 2)
        w.string(record.account); w.string(record.to); w.string(record.asset)
        w.amount(record.amount); w.time(record.timestamp)
    }

    /// A record of an outgoing transfer: `from` is this segment.
    private func readTransfer(from r: inout ByteReader) throws(EngineError) -> TransferRecord {
        let id = try r.u64()
        let state: TransferState
        switch try r.u8() {
        case 0: state = .pending
        case 1: state = .completed
        case 2: state = .refunded
        default: throw r.malformed("transfer state")
        }
        return TransferRecord(
            id: id, state: state, account: try r.string(maxLength: 64), from: spec.id, to: try r.string(maxLength: 64),
            asset: try r.string(maxLength: 64), amount: try r.amount(), timestamp: try r.time())
    }
}
