#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The embedded journal: SQLite in WAL mode with `synchronous=FULL` and group commit.
///
/// `submit` only enqueues (in call order per segment) and never blocks; one writer thread
/// commits each batch (taken by fair share across segments) in one transaction and one
/// fsync, then resolves the tickets. Reads go
/// through a second connection under a lock. After a storage failure the journal fails
/// closed: `health` is `.failed`, every later write fails fast with `isStorageFailure`,
/// until `reopen()` succeeds or the process restarts.
public final class SQLiteJournal: JournalStore {
    public let configuration: Configuration
    private let queue: CommitQueue
    private let status: JournalStatus
    private let reader: Mutex<ReadConnection?>
    private let writerThread: Mutex<pthread_t?>

    public init(configuration: Configuration) throws(JournalError) {
        self.configuration = configuration
        let queue = CommitQueue(
            capacity: configuration.maxPendingEntries, maxBatchOperations: configuration.maxBatchOperations,
            weights: configuration.segmentWeights)
        let status = JournalStatus()
        let writer: JournalWriter
        let read: ReadConnection
        do throws(SQLiteError) {
            // The writer opens first: it creates the file, sets WAL and migrates the schema.
            writer = try JournalWriter(configuration: configuration, queue: queue, status: status)
            read = try ReadConnection(configuration: configuration)
        } catch {
            throw JournalWriter.journalError(error)
        }
        self.queue = queue
        self.status = status
        self.reader = Mutex(read)
        self.writerThread = Mutex(writer.start())
    }

    public convenience init(path: String) throws(JournalError) {
        try self.init(configuration: Configuration(path: path))
    }

    deinit { close() }

    // MARK: Status

    public var health: JournalHealth { status.health }

    public var metrics: JournalMetrics {
        var metrics = status.metrics
        metrics.pendingEntries = queue.pending
        return metrics
    }

    public var commitMetrics: JournalMetrics? { metrics }

    // MARK: Writes

    public func submit(_ entries: [JournalEntry], idempotency: IdempotencyRecord?) -> any CommitTicket {
        if let invalid = entries.first(where: { $0.sequence > UInt64(Int64.max) }) {
            return JournalTicket(failed: JournalError(.other, message: "sequence \(invalid.sequence) out of range"))
        }
        return enqueue(.append(entries, idempotency))
    }

    public func saveSnapshot(_ snapshot: SnapshotRecord) async throws(JournalError) {
        guard snapshot.sequence <= UInt64(Int64.max) else {
            throw JournalError(.other, message: "snapshot sequence \(snapshot.sequence) out of range")
        }
        try await enqueue(.snapshot(snapshot)).durable()
    }

    public func prune(segment: String, through: UInt64) async throws(JournalError) {
        try await enqueue(.prune(segment: segment, through: through)).durable()
    }

    public func pruneEvents(segment: String, keepLast: Int) async throws(JournalError) {
        try await enqueue(.pruneEvents(segment: segment, keepLast: keepLast)).durable()
    }

    public func pruneIdempotency(before: Int64) async throws(JournalError) {
        try await enqueue(.pruneIdempotency(before: before)).durable()
    }

    /// Clears a failed state by reopening both connections (after the operator freed space,
    /// say). Data committed before the failure is intact; the failed batch is not there.
    /// The caller must rebuild in-memory state from the journal afterwards.
    public func reopen() async throws(JournalError) {
        let ticket = JournalTicket()
        switch queue.enqueue(QueuedOperation(operation: .reopen, ticket: ticket), bypassBound: true) {
        case .accepted: break
        case .full, .closed: throw JournalError(.closed, message: "journal is closed")
        }
        try await ticket.durable()
        let configuration = configuration
        let failure: JournalError? = reader.withLock { read in
            read?.close()
            read = nil
            do throws(SQLiteError) {
                read = try ReadConnection(configuration: configuration)
                return nil
            } catch {
                return JournalWriter.journalError(error)
            }
        }
        if let failure { throw failure }
    }

    private func enqueue(_ operation: WriteOperation) -> JournalTicket {
        if case .failed(let message) = status.health {
            return JournalTicket(failed: JournalError(.storage, message: "journal failed: \(message)"))
        }
        let ticket = JournalTicket()
        switch queue.enqueue(QueuedOperation(operation: operation, ticket: ticket)) {
        case .accepted:
            return ticket
        case .full:
            status.updateMetrics { $0.rejectedOverloaded += 1 }
            return JournalTicket(failed: JournalError(.overloaded, message: "journal queue full (\(queue.capacity) pending entries)"))
        case .closed:
            return JournalTicket(failed: JournalError(.closed, message: "journal is closed"))
        }
    }

    // MARK: Reads

    public func entries(segment: String, after: UInt64, limit: Int) throws(JournalError) -> [JournalEntry] {
        try read { read throws(SQLiteError) in try read.entries(segment: segment, after: after, limit: limit) }
    }

    public func events(segment: String, after: EventPosition, through: EventPosition, limit: Int) throws(JournalError) -> [StoredEvent] {
        try read { read throws(SQLiteError) in try read.events(segment: segment, after: after, through: through, limit: limit) }
    }

    public func eventBounds(segment: String) throws(JournalError) -> (oldest: EventPosition, newest: EventPosition)? {
        let bounds: EventBounds? = try read { read throws(SQLiteError) in
            try read.eventBounds(segment: segment).map { EventBounds(oldest: $0.oldest, newest: $0.newest) }
        }
        return bounds.map { ($0.oldest, $0.newest) }
    }

    public func lastSequence(segment: String) throws(JournalError) -> UInt64? {
        try read { read throws(SQLiteError) in try read.lastSequence(segment: segment) }
    }

    public func segmentIDs() throws(JournalError) -> [String] {
        try read { read throws(SQLiteError) in try read.segmentIDs() }
    }

    public func latestSnapshot(segment: String) throws(JournalError) -> SnapshotRecord? {
        try read { read throws(SQLiteError) in try read.latestSnapshot(segment: segment) }
    }

    public func idempotencyRecord(key: String) throws(JournalError) -> IdempotencyRecord? {
        try read { read throws(SQLiteError) in try read.idempotencyRecord(key: key) }
    }

    private func read<T: Sendable>(_ body: (ReadConnection) throws(SQLiteError) -> T) throws(JournalError) -> T {
        let result: Result<T, JournalError> = reader.withLock { read in
            guard let read else { return .failure(JournalError(.closed, message: "journal is closed")) }
            do throws(SQLiteError) {
                return .success(try body(read))
            } catch {
                return .failure(JournalWriter.journalError(error))
            }
        }
        return try result.get()
    }

    // MARK: Lifecycle

    /// Commits what is queued, stops the writer and closes both connections. Idempotent.
    public func close() {
        queue.close()
        if let thread = writerThread.withLock({ thread in defer { thread = nil }; return thread }) {
            pthread_join(thread, nil)
        }
        reader.withLock { read in
            read?.close()
            read = nil
        }
    }
}

/// Sendable carrier for `eventBounds` across the read lock.
private struct EventBounds: Sendable {
    var oldest: EventPosition
    var newest: EventPosition
}
