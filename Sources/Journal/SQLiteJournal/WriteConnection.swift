/// The writer's connection and its prepared statements, reused for every batch.
final class WriteConnection {
    let connection: SQLiteConnection
    let begin: SQLiteStatement
    let commit: SQLiteStatement
    let savepoint: SQLiteStatement
    let release: SQLiteStatement
    let rollbackToSavepoint: SQLiteStatement
    let insertEntry: SQLiteStatement
    let insertIdempotency: SQLiteStatement
    let insertSnapshot: SQLiteStatement
    let deleteOlderSnapshots: SQLiteStatement
    let pruneEntries: SQLiteStatement
    let pruneIdempotency: SQLiteStatement
    let insertEvent: SQLiteStatement
    let pruneEvents: SQLiteStatement

    init(configuration: SQLiteJournal.Configuration) throws(SQLiteError) {
        let connection = try SQLiteConnection(path: configuration.path)
        // WAL: readers never block the writer; synchronous=FULL: COMMIT returns only after the
        // WAL is fsync'd, which is what lets the service acknowledge.
        let mode = try connection.text("PRAGMA journal_mode=WAL")
        guard mode.lowercased() == "wal" else {
            throw SQLiteError(code: 1, message: "cannot enable WAL (journal_mode=\(mode))")
        }
        try connection.execute("PRAGMA synchronous=FULL")
        try connection.execute("PRAGMA busy_timeout=\(configuration.busyTimeoutMilliseconds)")
        try connection.execute("PRAGMA wal_autocheckpoint=\(configuration.walAutocheckpointPages)")
        _ = try connection.scalar("PRAGMA journal_size_limit=\(configuration.walSizeLimitBytes)")
        if let pages = configuration.maxPageCount {
            _ = try connection.scalar("PRAGMA max_page_count=\(pages)")
        }
        try JournalSchema.migrate(connection)

        self.connection = connection
        begin = try connection.prepare("BEGIN IMMEDIATE")
        commit = try connection.prepare("COMMIT")
        savepoint = try connection.prepare("SAVEPOINT operation")
        release = try connection.prepare("RELEASE operation")
        rollbackToSavepoint = try connection.prepare("ROLLBACK TO operation")
        insertEntry = try connection.prepare(
            "INSERT INTO entries(segment, sequence, arrival, kind, payload) VALUES (?, ?, ?, ?, ?)")
        insertIdempotency = try connection.prepare(
            "INSERT INTO idempotency(key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)")
        insertSnapshot = try connection.prepare(
            "INSERT OR REPLACE INTO snapshots(segment, sequence, state_hash, bytes) VALUES (?, ?, ?, ?)")
        deleteOlderSnapshots = try connection.prepare(
            "DELETE FROM snapshots WHERE segment = ? AND sequence < ?")
        pruneEntries = try connection.prepare("DELETE FROM entries WHERE segment = ? AND sequence <= ?")
        pruneIdempotency = try connection.prepare("DELETE FROM idempotency WHERE created_at < ?")
        insertEvent = try connection.prepare("INSERT INTO events(segment, sequence, idx, type, data) VALUES (?, ?, ?, ?, ?)")
        // Everything before the `keepLast`-th newest event (row values: SQLite ≥ 3.15).
        pruneEvents = try connection.prepare("""
            DELETE FROM events WHERE segment = ?1 AND (sequence, idx) <
              (SELECT sequence, idx FROM events WHERE segment = ?1 ORDER BY sequence DESC, idx DESC LIMIT 1 OFFSET ?2)
            """)
    }

    func apply(_ operation: WriteOperation) throws(SQLiteError) {
        switch operation {
        case .append(let entries, let idempotency):
            for entry in entries {
                try insertEntry.bind(1, entry.segment)
                try insertEntry.bind(2, Int64(entry.sequence))
                try insertEntry.bind(3, entry.arrival)
                try insertEntry.bind(4, Int64(entry.kind))
                try insertEntry.bind(5, entry.payload)
                try insertEntry.run()
                for event in entry.events {
                    try insertEvent.bind(1, entry.segment)
                    try insertEvent.bind(2, Int64(entry.sequence))
                    try insertEvent.bind(3, Int64(event.position.index))
                    try insertEvent.bind(4, event.type)
                    try insertEvent.bind(5, event.data)
                    try insertEvent.run()
                }
            }
            if let record = idempotency {
                try insertIdempotency.bind(1, record.key)
                try insertIdempotency.bind(2, record.requestHash)
                try insertIdempotency.bind(3, Int64(record.status))
                try insertIdempotency.bind(4, record.body)
                try insertIdempotency.bind(5, record.createdAt)
                try insertIdempotency.run()
            }
        case .snapshot(let snapshot):
            // Only the latest snapshot per segment is kept: older ones cover entries that
            // are pruned anyway.
            try insertSnapshot.bind(1, snapshot.segment)
            try insertSnapshot.bind(2, Int64(snapshot.sequence))
            try insertSnapshot.bind(3, Int64(bitPattern: snapshot.stateHash))
            try insertSnapshot.bind(4, snapshot.bytes)
            try insertSnapshot.run()
            try deleteOlderSnapshots.bind(1, snapshot.segment)
            try deleteOlderSnapshots.bind(2, Int64(snapshot.sequence))
            try deleteOlderSnapshots.run()
        case .prune(let segment, let through):
            try pruneEntries.bind(1, segment)
            try pruneEntries.bind(2, Int64(clamping: through))
            try pruneEntries.run()
        case .pruneIdempotency(let before):
            try pruneIdempotency.bind(1, before)
            try pruneIdempotency.run()
        case .pruneEvents(let segment, let keepLast):
            try pruneEvents.bind(1, segment)
            try pruneEvents.bind(2, Int64(max(0, keepLast - 1)))
            try pruneEvents.run()
        case .reopen:
            break
        }
    }

    func close() { connection.close() }
}
