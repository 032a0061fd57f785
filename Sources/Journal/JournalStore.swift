// CONTRACT between Journal and BulkheadService. The journal helper implements
// `SQLiteJournal: JournalStore` behind it.

/// One journaled command of one segment. `sequence` is assigned by the segment's actor and
/// increases by one per entry; `arrival` is the time read once when the command arrived.
public struct JournalEntry: Sendable, Hashable {
    public var segment: String
    public var sequence: UInt64
    /// Nanoseconds since the Unix epoch.
    public var arrival: Int64
    /// What the payload holds (e.g. engine command, segment creation); the service decides.
    public var kind: UInt8
    public var payload: [UInt8]
    /// The events this entry caused (their positions carry this entry's sequence); written
    /// in the same transaction. Not returned by `entries(…)`.
    public var events: [StoredEvent]
    /// The cluster transfer outbox row this entry opens or advances (PostgreSQL store only);
    /// written in the same transaction. Not returned by `entries(…)`.
    public var outbox: OutboxChange?

    public init(
        segment: String, sequence: UInt64, arrival: Int64, kind: UInt8, payload: [UInt8], events: [StoredEvent] = [],
        outbox: OutboxChange? = nil
    ) {
        self.events = events
        self.outbox = outbox
        self.segment = segment
        self.sequence = sequence
        self.arrival = arrival
        self.kind = kind
        self.payload = payload
    }
}

/// The stored answer to a request made with an `Idempotency-Key`, written in the same
/// transaction as the change it answers.
public struct IdempotencyRecord: Sendable, Hashable {
    public var key: String
    /// Digest of method, path and body: the same key with another body is a conflict.
    public var requestHash: [UInt8]
    public var status: Int
    public var body: [UInt8]
    /// Nanoseconds since the epoch; used for retention.
    public var createdAt: Int64

    public init(key: String, requestHash: [UInt8], status: Int, body: [UInt8], createdAt: Int64) {
        self.key = key
        self.requestHash = requestHash
        self.status = status
        self.body = body
        self.createdAt = createdAt
    }
}

public struct SnapshotRecord: Sendable, Hashable {
    public var segment: String
    /// The last journal sequence the snapshot includes.
    public var sequence: UInt64
    public var stateHash: UInt64
    public var bytes: [UInt8]

    public init(segment: String, sequence: UInt64, stateHash: UInt64, bytes: [UInt8]) {
        self.segment = segment
        self.sequence = sequence
        self.stateHash = stateHash
        self.bytes = bytes
    }
}

public struct JournalError: Error, Sendable, Equatable {
    public var message: String
    /// Disk full or I/O error: the service fails closed (503, `/readyz` degraded).
    public var isStorageFailure: Bool
    /// Finer cause (added by the journal helper; `isStorageFailure` stays the contract).
    public var reason: Reason

    public enum Reason: Sendable, Equatable {
        /// Disk full, I/O error, corruption, or the journal already failed closed.
        case storage
        /// The bounded submit queue is full: retry later (HTTP 503 with Retry-After).
        case overloaded
        /// A uniqueness rule was broken: an entry's (segment, sequence) or an idempotency key
        /// already exists. Nothing of that submit was written; the rest of the batch was.
        case conflict
        /// The journal was closed.
        case closed
        /// The segment's lease is held by another instance (or was never ours): nothing of
        /// that submit was written, and this instance must stop serving the segment.
        case fenced
        /// Malformed input or any other non-storage failure.
        case other
    }

    public init(message: String, isStorageFailure: Bool) {
        self.message = message
        self.isStorageFailure = isStorageFailure
        self.reason = isStorageFailure ? .storage : .other
    }

    public init(_ reason: Reason, message: String) {
        self.message = message
        self.isStorageFailure = reason == .storage
        self.reason = reason
    }
}

/// Resolves once the batch holding the submitted entries is durable (fsync'd).
public protocol CommitTicket: Sendable {
    func durable() async throws(JournalError)
    /// Already failed (queue full, journal failed or closed) — known without waiting. A
    /// ticket that has not failed yet commits before anything submitted after it, or the
    /// journal fails closed: callers chain dependent entries on that (bridge transfers).
    var hasFailed: Bool { get }
}

extension CommitTicket {
    public var hasFailed: Bool { false }
}

public protocol JournalStore: Sendable {
    /// Queues entries (and the idempotency record answering them) for the next group
    /// commit. Synchronous so that the calling actor's order is the journal's order.
    func submit(_ entries: [JournalEntry], idempotency: IdempotencyRecord?) -> any CommitTicket

    /// Entries of a segment with sequence > `after`, in order, at most `limit`.
    func entries(segment: String, after: UInt64, limit: Int) throws(JournalError) -> [JournalEntry]

    /// Every segment id with entries or a snapshot, sorted.
    func segmentIDs() throws(JournalError) -> [String]

    /// The highest entry sequence of a segment (`nil`: no entries). Replay's progress total.
    func lastSequence(segment: String) throws(JournalError) -> UInt64?

    func saveSnapshot(_ snapshot: SnapshotRecord) async throws(JournalError)
    func latestSnapshot(segment: String) throws(JournalError) -> SnapshotRecord?
    /// Drops entries with sequence ≤ `through` (after a snapshot covers them).
    func prune(segment: String, through: UInt64) async throws(JournalError)

    func idempotencyRecord(key: String) throws(JournalError) -> IdempotencyRecord?
    /// Drops idempotency records created before `before` (retention).
    func pruneIdempotency(before: Int64) async throws(JournalError)

    func close()

    /// Events of a segment with position in (`after`, `through`], in order, at most `limit`.
    func events(segment: String, after: EventPosition, through: EventPosition, limit: Int) throws(JournalError) -> [StoredEvent]
    /// The oldest and newest retained event of a segment (nil when it has none).
    func eventBounds(segment: String) throws(JournalError) -> (oldest: EventPosition, newest: EventPosition)?
    /// Drops all but the newest `keepLast` events of a segment.
    func pruneEvents(segment: String, keepLast: Int) async throws(JournalError)

    /// Group-commit figures for `/metrics`, where the store keeps them (nil otherwise).
    var commitMetrics: JournalMetrics? { get }
}

extension JournalStore {
    public var commitMetrics: JournalMetrics? { nil }
}

extension JournalStore {
    /// Stores that cannot tell report no total (replay then shows no progress bar).
    public func lastSequence(segment: String) throws(JournalError) -> UInt64? { nil }
}
