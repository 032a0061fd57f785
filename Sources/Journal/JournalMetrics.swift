/// Counters the service can publish. Latencies come from a monotonic clock and are
/// observations only; no decision depends on them.
public struct JournalMetrics: Sendable, Equatable {
    /// Transactions committed by the writer (one fsync each).
    public var batchesCommitted: UInt64 = 0
    /// Batches that failed and were rolled back.
    public var batchesFailed: UInt64 = 0
    /// Submits (and snapshot/prune operations) made durable.
    public var operationsCommitted: UInt64 = 0
    /// Journal entries made durable.
    public var entriesCommitted: UInt64 = 0
    /// Operations in the last committed batch.
    public var lastBatchSize: Int = 0
    /// Time from BEGIN to the end of COMMIT (including the fsync) of the last batch.
    public var lastCommitNanoseconds: UInt64 = 0
    public var totalCommitNanoseconds: UInt64 = 0
    public var maxCommitNanoseconds: UInt64 = 0
    /// Entries queued and not yet taken by the writer.
    public var pendingEntries: Int = 0
    /// Submits refused because the queue was full.
    public var rejectedOverloaded: UInt64 = 0
    /// Submits refused because this instance no longer held the segment's lease (cluster).
    public var fencedOperations: UInt64 = 0

    public init() {}

    /// Operations per committed batch (group-commit factor).
    public var meanBatchSize: Double {
        batchesCommitted == 0 ? 0 : Double(operationsCommitted) / Double(batchesCommitted)
    }

    public var meanCommitNanoseconds: UInt64 {
        batchesCommitted == 0 ? 0 : totalCommitNanoseconds / batchesCommitted
    }
}
