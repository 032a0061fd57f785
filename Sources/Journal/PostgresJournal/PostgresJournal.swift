#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The cluster journal: every segment's entries, snapshots and idempotency records in
/// PostgreSQL, written with the same group commit as `SQLiteJournal` (one transaction per
/// batch on one writer thread, tickets resolved after COMMIT), and every write fenced by the
/// segment's lease epoch (DESIGN.md "Past one machine").
///
/// A submit takes the segment's epoch from `configuration.epochs` at call time: a segment
/// this instance does not hold fails at once with `.fenced`; one whose lease was taken over
/// before the commit fails the same way, and `onFenced` is called first.
public final class PostgresJournal: JournalStore {
    public let configuration: Configuration
    private let queue: CommitQueue
    private let status: JournalStatus
    private let reader: Mutex<PostgresReadConnection?>
    private let writerThread: Mutex<pthread_t?>

    /// Connects (both connections) and migrates; an unreachable server fails here, within
    /// `connectTimeoutSeconds`, with a storage failure.
    public init(configuration: Configuration) throws(JournalError) {
        self.configuration = configuration
        let queue = CommitQueue(capacity: configuration.maxPendingEntries)
        let status = JournalStatus()
        let writer: PostgresJournalWriter
        let read: PostgresReadConnection
        do throws(PostgresError) {
            writer = try PostgresJournalWriter(configuration: configuration, queue: queue, status: status)
            read = try PostgresReadConnection(configuration: configuration)
        } catch {
            throw error.journalError
        }
        self.queue = queue
        self.status = status
        self.reader = Mutex(read)
        self.writerThread = Mutex(writer.start())
    }

    deinit { close() }

    public var health: JournalHealth { status.health }

    public var metrics: JournalMetrics {
        var metrics = status.metrics
        metrics.pendingEntries = queue.pending
        return metrics
    }

    /// As SQLite's: `/metrics` exports the batches, entries and commit times of this store too.
    public var commitMetrics: JournalMetrics? { metrics }

    // MARK: Writes

    public func submit(_ entries: [JournalEntry], idempotency: IdempotencyRecord?) -> any CommitTicket {
        if let invalid = entries.first(where: { $0.sequence > UInt64(Int64.max) }) {
            return JournalTicket(failed: JournalError(.other, message: "sequence \(invalid.sequence) out of range"))
        }
        var epochs: [String: UInt64] = [:]
        for segment in entries.map(\.segment) where epochs[segment] == nil {
            // The bridge book's stream is every instance's, under the fixed epoch 0: its
            // sequence numbers, not a lease, keep two writers from both succeeding.
            if segment == JournalStream.bridges {
                epochs[segment] = 0
                continue
            }
            guard let epoch = configuration.epochs.epoch(of: segment) else { return fenced(segment) }
            epochs[segment] = epoch
        }
        return enqueue(.append(entries, idempotency), epochs: epochs)
    }

    public func saveSnapshot(_ snapshot: SnapshotRecord) async throws(JournalError) {
        guard snapshot.sequence <= UInt64(Int64.max) else {
            throw JournalError(.other, message: "snapshot sequence \(snapshot.sequence) out of range")
        }
        guard let epoch = configuration.epochs.epoch(of: snapshot.segment) else {
            return try await fenced(snapshot.segment).durable()
        }
        try await enqueue(.snapshot(snapshot), epochs: [snapshot.segment: epoch]).durable()
    }

    public func prune(segment: String, through: UInt64) async throws(JournalError) {
        guard let epoch = configuration.epochs.epoch(of: segment) else { return try await fenced(segment).durable() }
        try await enqueue(.prune(segment: segment, through: through), epochs: [segment: epoch]).durable()
    }

    public func pruneIdempotency(before: Int64) async throws(JournalError) {
        try await enqueue(.pruneIdempotency(before: before), epochs: [:]).durable()
    }

    /// Clears a failed state by reconnecting both connections (after the server came back).
    /// The caller must rebuild the state of the segments it serves from the journal: the
    /// failed batch may or may not have committed.
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
            do throws(PostgresError) {
                read = try PostgresReadConnection(configuration: configuration)
                return nil
            } catch {
                return error.journalError
            }
        }
        if let failure { throw failure }
    }

    private func fenced(_ segment: String) -> JournalTicket {
        status.updateMetrics { $0.fencedOperations += 1 }
        return JournalTicket(failed: JournalError(.fenced, message: "segment \(segment) is not leased by this instance"))
    }

    private func enqueue(_ operation: WriteOperation, epochs: [String: UInt64]) -> JournalTicket {
        if case .failed(let message) = status.health {
            return JournalTicket(failed: JournalError(.storage, message: "journal failed: \(message)"))
        }
        let ticket = JournalTicket()
        switch queue.enqueue(QueuedOperation(operation: operation, ticket: ticket, epochs: epochs)) {
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
        try read { read throws(PostgresError) in try read.entries(segment: segment, after: after, limit: limit) }
    }

    public func segmentIDs() throws(JournalError) -> [String] {
        try read { read throws(PostgresError) in try read.segmentIDs() }
    }

    public func events(segment: String, after: EventPosition, through: EventPosition, limit: Int) throws(JournalError) -> [StoredEvent] {
        try read { read throws(PostgresError) in try read.events(segment: segment, after: after, through: through, limit: limit) }
    }

    public func eventBounds(segment: String) throws(JournalError) -> (oldest: EventPosition, newest: EventPosition)? {
        try read { read throws(PostgresError) in try read.eventBounds(segment: segment) }
    }

    public func pruneEvents(segment: String, keepLast: Int) async throws(JournalError) {
        try await enqueue(.pruneEvents(segment: segment, keepLast: keepLast), epochs: [:]).durable()
    }

    public func lastSequence(segment: String) throws(JournalError) -> UInt64? {
        try read { read throws(PostgresError) in try read.lastSequence(segment: segment) }
    }

    public func latestSnapshot(segment: String) throws(JournalError) -> SnapshotRecord? {
        try read { read throws(PostgresError) in try read.latestSnapshot(segment: segment) }
    }

    public func idempotencyRecord(key: String) throws(JournalError) -> IdempotencyRecord? {
        try read { read throws(PostgresError) in try read.idempotencyRecord(key: key) }
    }

    /// A read that finds the connection lost drops it; the next read reconnects, so reads
    /// come back with the server without a `reopen`.
    private func read<T: Sendable>(_ body: (PostgresReadConnection) throws(PostgresError) -> T) throws(JournalError) -> T {
        if queue.closed { throw JournalError(.closed, message: "journal is closed") }
        let configuration = configuration
        let result: Result<T, JournalError> = reader.withLock { read in
            do throws(PostgresError) {
                if read == nil || read?.connection.isOpen == false {
                    read?.close()
                    read = try PostgresReadConnection(configuration: configuration)
                }
                return .success(try body(read!))
            } catch {
                if error.isConnectionFailure {
                    read?.close()
                    read = nil
                }
                return .failure(error.journalError)
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
