import RiskEngine

/// Rebuilds the bridge book: the configured bridges (`Config/bridges.json`), then every
/// journaled `PUT`/`DELETE /v1/bridges` in order, so an API change survives a restart and
/// wins over the file. Changes are not re-validated against today's segments: they were
/// valid when made, and a bridge whose end has gone simply cannot carry a transfer.
public struct BridgeReplay: Sendable {
    public var journal: any JournalStore
    public var pageSize: Int

    public init(journal: any JournalStore, pageSize: Int = 1_000) {
        self.journal = journal
        self.pageSize = max(1, pageSize)
    }

    public struct Restored: Sendable {
        public var book: BridgeBook
        /// The bridge stream's last sequence: its next entry is this + 1.
        public var lastSequence: UInt64
    }

    public func restore(configured: [BridgeSpec]) throws(SegmentReplayError) -> Restored {
        let stream = JournalStream.bridges
        var book = BridgeBook(configured)
        var last: UInt64 = 0
        while true {
            let page: [JournalEntry]
            do { page = try journal.entries(segment: stream, after: last, limit: pageSize) } catch {
                throw SegmentReplayError(segment: stream, sequence: last + 1, message: "cannot read the journal: \(error.message)")
            }
            for entry in page {
                guard entry.sequence == last + 1 else {
                    throw SegmentReplayError(segment: stream, sequence: entry.sequence, message: "expected sequence \(last + 1): the journal has a gap")
                }
                do {
                    switch entry.kind {
                    case JournalKind.bridgePut: try book.put(try BridgeSpec(decoding: entry.payload))
                    case JournalKind.bridgeRemoved: book.remove(try BridgeKey(decoding: entry.payload))
                    default:
                        throw SegmentReplayError(segment: stream, sequence: entry.sequence, message: "unsupported entry kind \(entry.kind)")
                    }
                } catch let error as SegmentReplayError {
                    throw error
                } catch {
                    throw SegmentReplayError(segment: stream, sequence: entry.sequence, message: "bridge entry does not replay: \(error)")
                }
                last = entry.sequence
            }
            if page.count < pageSize { break }
        }
        return Restored(book: book, lastSequence: last)
    }
}
