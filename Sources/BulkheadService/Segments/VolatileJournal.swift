import Journal
import Synchronization

/// A `JournalStore` in memory: every batch is "durable" at once and lost with the process.
/// For tests and throwaway runs (`serve --ephemeral`); production uses the SQLite journal.
public final class VolatileJournal: JournalStore {
    private struct Storage {
        var entries: [String: [JournalEntry]] = [:]
        var snapshots: [String: SnapshotRecord] = [:]
        var idempotency: [String: IdempotencyRecord] = [:]
    }

    private struct Immediate: CommitTicket {
        func durable() async throws(JournalError) {}
    }

    private let storage = Mutex(Storage())

    public init() {}

    public func submit(_ entries: [JournalEntry], idempotency: IdempotencyRecord?) -> any CommitTicket {
        storage.withLock { storage in
            for entry in entries { storage.entries[entry.segment, default: []].append(entry) }
            if let idempotency { storage.idempotency[idempotency.key] = idempotency }
        }
        return Immediate()
    }

    public func entries(segment: String, after: UInt64, limit: Int) throws(JournalError) -> [JournalEntry] {
        storage.withLock { storage in
            Array((storage.entries[segment] ?? []).lazy.filter { $0.sequence > after }.prefix(limit))
        }
    }

    public func segmentIDs() throws(JournalError) -> [String] {
        storage.withLock { Set($0.entries.keys).union($0.snapshots.keys).sorted() }
    }

    public func saveSnapshot(_ snapshot: SnapshotRecord) async throws(JournalError) {
        storage.withLock { storage in
            if (storage.snapshots[snapshot.segment]?.sequence ?? 0) <= snapshot.sequence {
                storage.snapshots[snapshot.segment] = snapshot
            }
        }
    }

    public func latestSnapshot(segment: String) throws(JournalError) -> SnapshotRecord? {
        storage.withLock { $0.snapshots[segment] }
    }

    public func prune(segment: String, through: UInt64) async throws(JournalError) {
        storage.withLock { $0.entries[segment]?.removeAll { $0.sequence <= through } }
    }

    public func idempotencyRecord(key: String) throws(JournalError) -> IdempotencyRecord? {
        storage.withLock { $0.idempotency[key] }
    }

    public func pruneIdempotency(before: Int64) async throws(JournalError) {
        storage.withLock { $0.idempotency = $0.idempotency.filter { $0.value.createdAt >= before } }
    }

    public func close() {}
}
