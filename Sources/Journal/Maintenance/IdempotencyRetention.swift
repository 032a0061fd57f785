/// Keeps the idempotency table bounded: records older than the retention window are dropped.
/// Run `run(every:now:)` as a background task of the service (or call `prune(now:)` from a
/// timer). `now` is the service's wall clock in nanoseconds since the epoch, the same clock
/// that stamped `IdempotencyRecord.createdAt`.
public struct IdempotencyRetention: Sendable {
    public var journal: any JournalStore
    public var retentionNanoseconds: Int64

    public init(journal: any JournalStore, retentionSeconds: Int64 = 86_400) {
        self.journal = journal
        self.retentionNanoseconds = max(0, retentionSeconds) &* 1_000_000_000
    }

    /// Drops records created before `now - retention`.
    public func prune(now: Int64) async throws(JournalError) {
        try await journal.pruneIdempotency(before: now &- retentionNanoseconds)
    }

    /// Prunes every `interval` until the task is cancelled. A failed prune is retried at the
    /// next tick (the journal's own health reports storage failures).
    public func run(every interval: Duration = .seconds(60), now: @Sendable () -> Int64) async {
        while !Task.isCancelled {
            try? await prune(now: now())
            do { try await Task.sleep(for: interval) } catch { return }
        }
    }
}
