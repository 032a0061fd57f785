/// Saves a segment's snapshot, then drops the entries it covers.
///
/// Call it (from the segment's actor, or a task it starts) only after `submit` of the entry
/// at `sequence`: the journal's single FIFO writer then never makes the snapshot durable
/// before those entries, and if their batch fails the journal fails closed and refuses the
/// snapshot too. A crash between save and prune only leaves entries that replay skips.
public struct SnapshotWriter: Sendable {
    public var journal: any JournalStore
    /// Drop entries ≤ the snapshot's sequence once it is saved.
    public var prunesJournal: Bool

    public init(journal: any JournalStore, prunesJournal: Bool = true) {
        self.journal = journal
        self.prunesJournal = prunesJournal
    }

    public func write(segment: String, sequence: UInt64, bytes: [UInt8], stateHash: UInt64) async throws(JournalError) {
        try await journal.saveSnapshot(SnapshotRecord(segment: segment, sequence: sequence, stateHash: stateHash, bytes: bytes))
        if prunesJournal {
            try await journal.prune(segment: segment, through: sequence)
        }
    }
}
