/// The read side: its own connection, used under the journal's read lock. Reads see only
/// committed batches (READ COMMITTED), so never part of a submit.
final class PostgresReadConnection {
    let connection: PostgresConnection

    init(configuration: PostgresJournal.Configuration) throws(PostgresError) {
        connection = try PostgresConnection(url: configuration.url, connectTimeoutSeconds: configuration.connectTimeoutSeconds)
    }

    func entries(segment: String, after: UInt64, limit: Int) throws(PostgresError) -> [JournalEntry] {
        let rows = try connection.query("read_entries", """
            SELECT sequence, arrival, kind, payload FROM entries
            WHERE segment = $1 AND sequence > $2 ORDER BY sequence LIMIT $3
            """, [.text(segment), .int64(Int64(clamping: after)), .int64(Int64(max(0, limit)))])
        return (0..<rows.count).map { row in
            JournalEntry(
                segment: segment, sequence: UInt64(rows.int64(row, 0)), arrival: rows.int64(row, 1),
                kind: UInt8(truncatingIfNeeded: rows.int64(row, 2)), payload: rows.bytes(row, 3))
        }
    }

    func lastSequence(segment: String) throws(PostgresError) -> UInt64? {
        let rows = try connection.query("last_sequence", "SELECT max(sequence) FROM entries WHERE segment = $1", [.text(segment)])
        return rows.isEmpty || rows.isNull(0, 0) ? nil : UInt64(rows.int64(0, 0))
    }

    func segmentIDs() throws(PostgresError) -> [String] {
        // Byte order (COLLATE "C"), as Swift sorts and as SQLite answers.
        let rows = try connection.query("read_segments", """
            SELECT DISTINCT segment COLLATE "C" FROM entries
            UNION SELECT segment COLLATE "C" FROM snapshots ORDER BY 1
            """)
        return (0..<rows.count).map { rows.text($0, 0) }
    }

    func latestSnapshot(segment: String) throws(PostgresError) -> SnapshotRecord? {
        let rows = try connection.query("read_snapshot", """
            SELECT sequence, state_hash, bytes FROM snapshots WHERE segment = $1 ORDER BY sequence DESC LIMIT 1
            """, [.text(segment)])
        guard !rows.isEmpty else { return nil }
        return SnapshotRecord(
            segment: segment, sequence: UInt64(rows.int64(0, 0)),
            stateHash: UInt64(bitPattern: rows.int64(0, 1)), bytes: rows.bytes(0, 2))
    }

    func idempotencyRecord(key: String) throws(PostgresError) -> IdempotencyRecord? {
        let rows = try connection.query("read_idempotency",
            "SELECT request_hash, status, body, created_at FROM idempotency WHERE key = $1", [.text(key)])
        guard !rows.isEmpty else { return nil }
        return IdempotencyRecord(
            key: key, requestHash: rows.bytes(0, 0), status: Int(rows.int64(0, 1)),
            body: rows.bytes(0, 2), createdAt: rows.int64(0, 3))
    }

    func events(segment: String, after: EventPosition, through: EventPosition, limit: Int) throws(PostgresError) -> [StoredEvent] {
        let rows = try connection.query("read_events", """
            SELECT sequence, idx::bigint, type, data FROM events
            WHERE segment = $1 AND (sequence, idx) > ($2, $3::bigint) AND (sequence, idx) <= ($4, $5::bigint)
            ORDER BY sequence, idx LIMIT $6
            """, [.text(segment), .int64(Int64(clamping: after.sequence)), .int64(Int64(after.index)),
                  .int64(Int64(clamping: through.sequence)), .int64(Int64(through.index)), .int64(Int64(max(0, limit)))])
        return (0..<rows.count).map { row in
            StoredEvent(
                position: EventPosition(sequence: UInt64(rows.int64(row, 0)), index: UInt32(truncatingIfNeeded: rows.int64(row, 1))),
                type: rows.text(row, 2), data: rows.bytes(row, 3))
        }
    }

    func eventBounds(segment: String) throws(PostgresError) -> (oldest: EventPosition, newest: EventPosition)? {
        let rows = try connection.query("read_event_bounds", """
            SELECT first.sequence, first.idx::bigint, last.sequence, last.idx::bigint FROM
              (SELECT sequence, idx FROM events WHERE segment = $1 ORDER BY sequence, idx LIMIT 1) AS first,
              (SELECT sequence, idx FROM events WHERE segment = $1 ORDER BY sequence DESC, idx DESC LIMIT 1) AS last
            """, [.text(segment)])
        guard !rows.isEmpty else { return nil }
        func position(_ column: Int) -> EventPosition {
            EventPosition(sequence: UInt64(rows.int64(0, column)), index: UInt32(truncatingIfNeeded: rows.int64(0, column + 1)))
        }
        return (position(0), position(2))
    }

    func close() { connection.close() }
}
