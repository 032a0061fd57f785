/// The read side: its own connection (WAL lets it read while the writer commits), used under
/// the journal's read lock, with its statements prepared once.
final class ReadConnection {
    let connection: SQLiteConnection
    private let selectEntries: SQLiteStatement
    private let selectSegments: SQLiteStatement
    private let selectSnapshot: SQLiteStatement
    private let selectIdempotency: SQLiteStatement
    private let selectEvents: SQLiteStatement
    private let selectEventBounds: SQLiteStatement
    private let selectLastSequence: SQLiteStatement

    init(configuration: SQLiteJournal.Configuration) throws(SQLiteError) {
        let connection = try SQLiteConnection(path: configuration.path)
        try connection.execute("PRAGMA busy_timeout=\(configuration.busyTimeoutMilliseconds)")
        try connection.execute("PRAGMA query_only=1")
        self.connection = connection
        selectEntries = try connection.prepare("""
            SELECT sequence, arrival, kind, payload FROM entries
            WHERE segment = ? AND sequence > ? ORDER BY sequence LIMIT ?
            """)
        selectSegments = try connection.prepare("""
            SELECT segment FROM entries GROUP BY segment
            UNION SELECT segment FROM snapshots ORDER BY 1
            """)
        selectSnapshot = try connection.prepare("""
            SELECT sequence, state_hash, bytes FROM snapshots
            WHERE segment = ? ORDER BY sequence DESC LIMIT 1
            """)
        selectIdempotency = try connection.prepare(
            "SELECT request_hash, status, body, created_at FROM idempotency WHERE key = ?")
        selectEvents = try connection.prepare("""
            SELECT sequence, idx, type, data FROM events
            WHERE segment = ?1 AND (sequence, idx) > (?2, ?3) AND (sequence, idx) <= (?4, ?5)
            ORDER BY sequence, idx LIMIT ?6
            """)
        selectEventBounds = try connection.prepare("""
            SELECT (SELECT sequence FROM events WHERE segment = ?1 ORDER BY sequence, idx LIMIT 1),
                   (SELECT idx FROM events WHERE segment = ?1 ORDER BY sequence, idx LIMIT 1),
                   (SELECT sequence FROM events WHERE segment = ?1 ORDER BY sequence DESC, idx DESC LIMIT 1),
                   (SELECT idx FROM events WHERE segment = ?1 ORDER BY sequence DESC, idx DESC LIMIT 1)
            """)
        // The primary key (segment, sequence) answers this from the index's last row.
        selectLastSequence = try connection.prepare("SELECT MAX(sequence) FROM entries WHERE segment = ?")
    }

    func events(segment: String, after: EventPosition, through: EventPosition, limit: Int) throws(SQLiteError) -> [StoredEvent] {
        defer { selectEvents.reset() }
        try selectEvents.bind(1, segment)
        try selectEvents.bind(2, Int64(clamping: after.sequence))
        try selectEvents.bind(3, Int64(after.index))
        try selectEvents.bind(4, Int64(clamping: through.sequence))
        try selectEvents.bind(5, Int64(through.index))
        try selectEvents.bind(6, Int64(max(0, limit)))
        var result: [StoredEvent] = []
        while try selectEvents.step() {
            result.append(StoredEvent(
                position: EventPosition(sequence: UInt64(selectEvents.int64(0)), index: UInt32(truncatingIfNeeded: selectEvents.int64(1))),
                type: selectEvents.text(2), data: selectEvents.blob(3)))
        }
        return result
    }

    func eventBounds(segment: String) throws(SQLiteError) -> (oldest: EventPosition, newest: EventPosition)? {
        defer { selectEventBounds.reset() }
        try selectEventBounds.bind(1, segment)
        guard try selectEventBounds.step(), !selectEventBounds.isNull(0) else { return nil }
        func position(_ column: Int32) -> EventPosition {
            EventPosition(sequence: UInt64(selectEventBounds.int64(column)), index: UInt32(truncatingIfNeeded: selectEventBounds.int64(column + 1)))
        }
        return (position(0), position(2))
    }

    func lastSequence(segment: String) throws(SQLiteError) -> UInt64? {
        defer { selectLastSequence.reset() }
        try selectLastSequence.bind(1, segment)
        guard try selectLastSequence.step(), !selectLastSequence.isNull(0) else { return nil }
        return UInt64(selectLastSequence.int64(0))
    }

    func entries(segment: String, after: UInt64, limit: Int) throws(SQLiteError) -> [JournalEntry] {
        defer { selectEntries.reset() }
        try selectEntries.bind(1, segment)
        try selectEntries.bind(2, Int64(clamping: after))
        try selectEntries.bind(3, Int64(max(0, limit)))
        var result: [JournalEntry] = []
        while try selectEntries.step() {
            result.append(JournalEntry(
                segment: segment,
                sequence: UInt64(selectEntries.int64(0)),
                arrival: selectEntries.int64(1),
                kind: UInt8(truncatingIfNeeded: selectEntries.int64(2)),
                payload: selectEntries.blob(3)))
        }
        return result
    }

    func segmentIDs() throws(SQLiteError) -> [String] {
        defer { selectSegments.reset() }
        var result: [String] = []
        while try selectSegments.step() { result.append(selectSegments.text(0)) }
        return result
    }

    func latestSnapshot(segment: String) throws(SQLiteError) -> SnapshotRecord? {
        defer { selectSnapshot.reset() }
        try selectSnapshot.bind(1, segment)
        guard try selectSnapshot.step() else { return nil }
        return SnapshotRecord(
            segment: segment,
            sequence: UInt64(selectSnapshot.int64(0)),
            stateHash: UInt64(bitPattern: selectSnapshot.int64(1)),
            bytes: selectSnapshot.blob(2))
    }

    func idempotencyRecord(key: String) throws(SQLiteError) -> IdempotencyRecord? {
        defer { selectIdempotency.reset() }
        try selectIdempotency.bind(1, key)
        guard try selectIdempotency.step() else { return nil }
        return IdempotencyRecord(
            key: key,
            requestHash: selectIdempotency.blob(0),
            status: Int(selectIdempotency.int64(1)),
            body: selectIdempotency.blob(2),
            createdAt: selectIdempotency.int64(3))
    }

    func close() { connection.close() }
}
