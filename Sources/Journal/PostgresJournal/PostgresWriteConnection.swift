/// The writer's connection and the statements of one batch. Expected refusals (a duplicate
/// sequence or idempotency key, a lost lease) are answered by row counts rather than errors,
/// because any error aborts a PostgreSQL transaction: one refused submit must not cost the
/// rest of its batch. A submit refused halfway removes the rows it had inserted.
final class PostgresWriteConnection {
    let connection: PostgresConnection

    init(configuration: PostgresJournal.Configuration) throws(PostgresError) {
        connection = try PostgresConnection(url: configuration.url, connectTimeoutSeconds: configuration.connectTimeoutSeconds)
        try PostgresSchema.migrate(connection)
        // Durability is the server's `synchronous_commit` (on by default): COMMIT returns
        // after the WAL flush, which is what lets the service acknowledge.
        try connection.execute("SET synchronous_commit = on")
    }

    enum Outcome: Equatable {
        case applied
        case conflict(String)
        case fenced(segment: String, epoch: UInt64)
    }

    /// BEGIN travels with the batch's first statements (no round trip of its own).
    func begin() { connection.sendWithNext("BEGIN") }
    func commit() throws(PostgresError) { try connection.execute("COMMIT") }

    func apply(_ item: QueuedOperation) throws(PostgresError) -> Outcome {
        switch item.operation {
        case .append(let entries, let idempotency):
            return try append(entries, idempotency, epochs: item.epochs)
        case .snapshot(let snapshot):
            guard let epoch = item.epochs[snapshot.segment], try lockLease(snapshot.segment, epoch) else {
                return .fenced(segment: snapshot.segment, epoch: item.epochs[snapshot.segment] ?? 0)
            }
            // Only the latest snapshot per segment is kept: older ones cover pruned entries.
            try connection.query("save_snapshot", """
                INSERT INTO snapshots(segment, sequence, state_hash, bytes) VALUES ($1, $2, $3, $4)
                ON CONFLICT (segment, sequence) DO UPDATE SET state_hash = excluded.state_hash, bytes = excluded.bytes
                """, [.text(snapshot.segment), .int64(Int64(snapshot.sequence)),
                      .int64(Int64(bitPattern: snapshot.stateHash)), .bytes(snapshot.bytes)])
            try connection.query("drop_old_snapshots", "DELETE FROM snapshots WHERE segment = $1 AND sequence < $2",
                                 [.text(snapshot.segment), .int64(Int64(snapshot.sequence))])
            return .applied
        case .prune(let segment, let through):
            guard let epoch = item.epochs[segment], try lockLease(segment, epoch) else {
                return .fenced(segment: segment, epoch: item.epochs[segment] ?? 0)
            }
            try connection.query("prune_entries", "DELETE FROM entries WHERE segment = $1 AND sequence <= $2",
                                 [.text(segment), .int64(Int64(clamping: through))])
            return .applied
        case .pruneEvents(let segment, let keepLast):
            // Everything before the `keepLast`-th newest event of the segment (as SQLite).
            try connection.query("prune_events", """
                DELETE FROM events WHERE segment = $1 AND (sequence, idx) <
                  (SELECT sequence, idx FROM events WHERE segment = $1 ORDER BY sequence DESC, idx DESC LIMIT 1 OFFSET $2)
                """, [.text(segment), .int64(Int64(max(0, keepLast - 1)))])
            return .applied
        case .pruneIdempotency(let before):
            try connection.query("prune_idempotency", "DELETE FROM idempotency WHERE created_at < $1", [.int64(before)])
            return .applied
        case .reopen:
            return .applied
        }
    }

    /// Each entry goes in through one statement that reads and row-locks the segment's lease
    /// at our epoch: a takeover (which updates that row) either waits for this transaction
    /// or has already changed the epoch, and then nothing is inserted.
    private func append(_ entries: [JournalEntry], _ idempotency: IdempotencyRecord?, epochs: [String: UInt64]) throws(PostgresError) -> Outcome {
        var inserted: [JournalEntry] = []
        for entry in entries {
            guard let epoch = epochs[entry.segment] else { return try undo(inserted, .fenced(segment: entry.segment, epoch: 0)) }
            let rows = try connection.query("append_entry", Self.appendSQL, [.text(entry.segment), .int64(Int64(epoch)), .int64(Int64(entry.sequence)),
                      .int64(entry.arrival), .int64(Int64(entry.kind)), .bytes(entry.payload)])
            if rows.int64(0, 0) == 0 { return try undo(inserted, .fenced(segment: entry.segment, epoch: epoch)) }
            if rows.int64(0, 1) == 0 {
                return try undo(inserted, .conflict("entry \(entry.segment)#\(entry.sequence) already exists"))
            }
            inserted.append(entry)
        }
        if let record = idempotency {
            let rows = try connection.query("insert_idempotency", Self.idempotencySQL, [.text(record.key), .bytes(record.requestHash), .int64(Int64(record.status)),
                      .bytes(record.body), .int64(record.createdAt)])
            if rows.affected == 0 { return try undo(inserted, .conflict("idempotency key \(record.key) already exists")) }
        }
        // Last, once nothing of the submit can be refused any more: no undo needed.
        for statement in entries.flatMap(Self.sideStatements) {
            try connection.query(statement.name, statement.sql, statement.parameters)
        }
        return .applied
    }

    /// Statements of a pipeline; bounded so that the unread results fit the socket buffers.
    static let pipelineLimit = 256

    /// Consecutive appends in pipelines: every statement of every submit is sent at once and
    /// the rows tell whether all went in. Same outcomes as `apply` one by one (to which it
    /// falls back when anything was refused), in far fewer round trips.
    func applyAppends(_ items: ArraySlice<QueuedOperation>) throws(PostgresError) -> [Outcome] {
        enum Step { case entry(JournalEntry), idempotency(String), sideEffect }
        var statements: [PostgresStatement] = []
        var steps: [(item: Int, step: Step)] = []
        var outcomes = [Outcome](repeating: .applied, count: items.count)
        for (index, item) in zip(items.indices, items) {
            guard case .append(let entries, let idempotency) = item.operation else { continue }
            let slot = index - items.startIndex
            if let missing = entries.first(where: { item.epochs[$0.segment] == nil }) {
                outcomes[slot] = .fenced(segment: missing.segment, epoch: 0)
                continue
            }
            for entry in entries {
                statements.append(PostgresStatement(name: "append_entry", sql: Self.appendSQL, parameters: [
                    .text(entry.segment), .int64(Int64(item.epochs[entry.segment]!)), .int64(Int64(entry.sequence)),
                    .int64(entry.arrival), .int64(Int64(entry.kind)), .bytes(entry.payload),
                ]))
                steps.append((slot, .entry(entry)))
            }
            if let record = idempotency {
                statements.append(PostgresStatement(name: "insert_idempotency", sql: Self.idempotencySQL, parameters: [
                    .text(record.key), .bytes(record.requestHash), .int64(Int64(record.status)),
                    .bytes(record.body), .int64(record.createdAt),
                ]))
                steps.append((slot, .idempotency(record.key)))
            }
            for statement in entries.flatMap(Self.sideStatements) {
                statements.append(statement)
                steps.append((slot, .sideEffect))
            }
        }
        connection.sendWithNext("SAVEPOINT appends")  // with the first pipeline, no round trip of its own
        var results: [PostgresRows] = []
        var start = 0
        while start < statements.count {
            let end = min(start + Self.pipelineLimit, statements.count)
            results += try connection.pipeline(Array(statements[start..<end]))
            start = end
        }
        for ((slot, step), rows) in zip(steps, results) {
            switch step {
            case .entry(let entry):
                if rows.int64(0, 0) == 0 || rows.int64(0, 1) == 0 { outcomes[slot] = .conflict("\(entry.segment)#\(entry.sequence)") }
            case .idempotency(let key):
                if rows.affected == 0 { outcomes[slot] = .conflict(key) }
            case .sideEffect:
                break
            }
        }
        // A refusal is rare: take the whole run back and replay it one submit at a time, which
        // gives each submit exactly the outcome it would have had alone, in order.
        if outcomes.contains(where: { $0 != .applied }) {
            try connection.execute("ROLLBACK TO SAVEPOINT appends")
            var exact: [Outcome] = []
            for item in items { exact.append(try apply(item)) }
            return exact
        }
        return outcomes
    }

    /// What an entry writes beside itself in its transaction, none of which can refuse the
    /// submit: its events (keyed by the entry's own new position) and its outbox change.
    static func sideStatements(_ entry: JournalEntry) -> [PostgresStatement] {
        var statements = entry.events.map { event in
            PostgresStatement(name: "insert_event", sql: """
                INSERT INTO events(segment, sequence, idx, type, data) VALUES ($1, $2, $3::bigint, $4, $5) ON CONFLICT DO NOTHING
                """, parameters: [
                    .text(entry.segment), .int64(Int64(clamping: event.position.sequence)), .int64(Int64(event.position.index)),
                    .text(event.type), .bytes(event.data),
                ])
        }
        if let change = entry.outbox { statements.append(change.statement) }
        return statements
    }

    private static let appendSQL = """
        WITH lease AS (
            SELECT epoch FROM segment_owner WHERE segment = $1 AND epoch = $2 FOR SHARE
        ), inserted AS (
            INSERT INTO entries(segment, sequence, epoch, arrival, kind, payload)
            SELECT $1, $3, lease.epoch, $4, $5, $6 FROM lease
            ON CONFLICT DO NOTHING RETURNING 1
        )
        SELECT (SELECT count(*) FROM lease), (SELECT count(*) FROM inserted)
        """

    private static let idempotencySQL = """
        INSERT INTO idempotency(key, request_hash, status, body, created_at) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT DO NOTHING
        """

    private func lockLease(_ segment: String, _ epoch: UInt64) throws(PostgresError) -> Bool {
        let rows = try connection.query("lock_lease", "SELECT 1 FROM segment_owner WHERE segment = $1 AND epoch = $2 FOR SHARE",
                                        [.text(segment), .int64(Int64(epoch))])
        return !rows.isEmpty
    }

    private func undo(_ inserted: [JournalEntry], _ outcome: Outcome) throws(PostgresError) -> Outcome {
        for entry in inserted {
            try connection.query("undo_entry", "DELETE FROM entries WHERE segment = $1 AND sequence = $2",
                                 [.text(entry.segment), .int64(Int64(entry.sequence))])
        }
        return outcome
    }

    func close() { connection.close() }
}
