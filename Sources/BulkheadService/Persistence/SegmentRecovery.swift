import Journal
import RiskEngine

/// The persistence surface the service calls (implemented in the `Journal` module, where it is
/// tested against real SQLite files and the real engine):
///
/// 1. Open: `let journal = try SQLiteJournal(configuration: .init(path: "<dataDir>/journal.sqlite"))`
///    (the directory must exist). Publish `journal.health` (`/readyz`) and `journal.metrics`.
/// 2. Start: `let (segments, report) = try SegmentRecovery(journal: journal, decodeSpec: …).recover(configured: specs)`
///    before `/readyz` turns 200. Each `RestoredSegment` gives the `Segment` and its
///    `lastSequence`; `isJournaled == false` means the segment came from configuration only,
///    so journal its `JournalKind.segmentCreated` entry (sequence 1) before serving it.
/// 3. Serve: in the segment actor, apply the command, then `journal.submit([entry], idempotency:)`
///    with `sequence = lastSequence + 1` and `kind = JournalKind.engineCommand`; answer after
///    `try await ticket.durable()`. `JournalError.reason`: `.storage` → 503 and degraded
///    (the journal stays failed until `reopen()` or restart), `.overloaded` → 503 Retry-After,
///    `.conflict` → the idempotency key or sequence already exists.
/// 4. Snapshots: when `SnapshotPolicy.isDue(...)`, call `SnapshotWriter.write(segment:sequence:bytes:stateHash:)`
///    with `segment.snapshot()` and `segment.stateHash`, after the submit of that sequence.
///    Keep the time trigger on: an entry counter that restarts at every boot may never reach
///    `everyEntries` on a service that restarts often.
/// 5. Retention: run `IdempotencyRetention(journal:retentionSeconds:).run(now:)` as a
///    background task, or the idempotency table grows without bound.
public struct SegmentRecovery: Sendable {
    public var recovery: JournalRecovery

    /// - Parameter decodeSpec: turns a `segmentCreated` payload (the service's JSON) into a spec.
    public init(journal: any JournalStore, pageSize: Int = 1_000, decodeSpec: @escaping @Sendable ([UInt8]) throws -> SegmentSpec) {
        recovery = JournalRecovery(replay: SegmentReplay(journal: journal, pageSize: pageSize, decodeSpec: decodeSpec))
    }

    /// Every segment of the journal plus the configured ones, sorted by id.
    public func recover(configured: [SegmentSpec], through: UInt64? = nil) throws(SegmentReplayError) -> (segments: [RestoredSegment], report: RecoveryReport) {
        try recovery.recoverAll(configured: configured, through: through)
    }
}

public typealias RecoveryReport = JournalRecovery.Report
