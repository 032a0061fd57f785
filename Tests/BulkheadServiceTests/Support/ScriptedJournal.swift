import BulkheadService
import Journal
import Synchronization

/// A journal double around `VolatileJournal`: commits can be held until released (to fill a
/// segment's in-flight bound deterministically) or made to fail (storage failure).
final class ScriptedJournal: JournalStore {
    enum Mode: Sendable {
        case normal
        case hold
        case fail
    }

    private struct Held: Sendable {
        var waiters: [CheckedContinuation<Void, Never>] = []
        var released = false
    }

    private final class HeldTicket: CommitTicket {
        let journal: ScriptedJournal
        init(journal: ScriptedJournal) { self.journal = journal }
        func durable() async throws(JournalError) { await journal.waitForRelease() }
    }

    private struct FailedTicket: CommitTicket {
        func durable() async throws(JournalError) {
            throw JournalError(message: "injected I/O error", isStorageFailure: true)
        }
    }

    let inner = VolatileJournal()
    private let mode = Mutex(Mode.normal)
    private let held = Mutex(Held())
    private let submitted = Mutex<[CheckedContinuation<Void, Never>]>([])
    private let submitCount = Atomic<Int>(0)

    func set(_ newMode: Mode) { mode.withLock { $0 = newMode } }

    /// Resolves once `count` submits have happened in total.
    func waitForSubmits(_ count: Int) async {
        while submitCount.load(ordering: .acquiring) < count {
            await withCheckedContinuation { continuation in
                let ready = submitted.withLock { waiters in
                    if submitCount.load(ordering: .acquiring) >= count { return true }
                    waiters.append(continuation)
                    return false
                }
                if ready { continuation.resume() }
            }
        }
    }

    func release() {
        let waiters = held.withLock { held in
            held.released = true
            defer { held.waiters = [] }
            return held.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    fileprivate func waitForRelease() async {
        await withCheckedContinuation { continuation in
            let released = held.withLock { held in
                if held.released { return true }
                held.waiters.append(continuation)
                return false
            }
            if released { continuation.resume() }
        }
    }

    func submit(_ entries: [JournalEntry], idempotency: IdempotencyRecord?) -> any CommitTicket {
        let current = mode.withLock { $0 }
        let ticket: any CommitTicket
        switch current {
        case .normal: ticket = inner.submit(entries, idempotency: idempotency)
        case .hold:
            _ = inner.submit(entries, idempotency: idempotency)
            ticket = HeldTicket(journal: self)
        case .fail: ticket = FailedTicket()
        }
        let waiters = submitted.withLock { waiters in
            submitCount.add(1, ordering: .releasing)
            defer { waiters = [] }
            return waiters
        }
        for waiter in waiters { waiter.resume() }
        return ticket
    }

    func entries(segment: String, after: UInt64, limit: Int) throws(JournalError) -> [JournalEntry] {
        try inner.entries(segment: segment, after: after, limit: limit)
    }
    func segmentIDs() throws(JournalError) -> [String] { try inner.segmentIDs() }
    func saveSnapshot(_ snapshot: SnapshotRecord) async throws(JournalError) {
        try await inner.saveSnapshot(snapshot)
        savedSnapshots.withLock { $0.append(snapshot.sequence) }
    }

    /// Sequences of the snapshots saved so far, in save order.
    let savedSnapshots = Mutex<[UInt64]>([])
    func latestSnapshot(segment: String) throws(JournalError) -> SnapshotRecord? { try inner.latestSnapshot(segment: segment) }
    func prune(segment: String, through: UInt64) async throws(JournalError) { try await inner.prune(segment: segment, through: through) }
    func idempotencyRecord(key: String) throws(JournalError) -> IdempotencyRecord? { try inner.idempotencyRecord(key: key) }
    func pruneIdempotency(before: Int64) async throws(JournalError) { try await inner.pruneIdempotency(before: before) }
    func close() {}
}
