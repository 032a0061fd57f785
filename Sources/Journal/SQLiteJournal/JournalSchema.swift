/// The journal's tables and their versions (`PRAGMA user_version`). Migration `n` takes the
/// schema from version `n` to `n + 1`; a database newer than this build is refused.
enum JournalSchema {
    static let migrations: [String] = [
        // 0 → 1
        """
        CREATE TABLE entries(
            segment  TEXT    NOT NULL,
            sequence INTEGER NOT NULL,
            arrival  INTEGER NOT NULL,
            kind     INTEGER NOT NULL,
            payload  BLOB    NOT NULL,
            PRIMARY KEY(segment, sequence)
        ) WITHOUT ROWID;
        CREATE TABLE snapshots(
            segment    TEXT    NOT NULL,
            sequence   INTEGER NOT NULL,
            state_hash INTEGER NOT NULL,
            bytes      BLOB    NOT NULL,
            PRIMARY KEY(segment, sequence)
        ) WITHOUT ROWID;
        CREATE TABLE idempotency(
            key          TEXT    NOT NULL PRIMARY KEY,
            request_hash BLOB    NOT NULL,
            status       INTEGER NOT NULL,
            body         BLOB    NOT NULL,
            created_at   INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE INDEX idempotency_by_age ON idempotency(created_at);
        """,
        // 1 → 2: the segment event log (API.md "Events").
        """
        CREATE TABLE events(
            segment  TEXT    NOT NULL,
            sequence INTEGER NOT NULL,
            idx      INTEGER NOT NULL,
            type     TEXT    NOT NULL,
            data     BLOB    NOT NULL,
            PRIMARY KEY(segment, sequence, idx)
        ) WITHOUT ROWID;
        """,
    ]

    static var currentVersion: Int64 { Int64(migrations.count) }

    /// Brings the database to `currentVersion` in one transaction.
    static func migrate(_ connection: SQLiteConnection) throws(SQLiteError) {
        try connection.execute("BEGIN IMMEDIATE")
        do throws(SQLiteError) {
            let version = try connection.scalar("PRAGMA user_version")
            if version > currentVersion {
                throw SQLiteError(code: 1, message: "database schema version \(version) is newer than this build (\(currentVersion))")
            }
            for step in Int(version)..<migrations.count {
                try connection.execute(migrations[step])
            }
            if version != currentVersion {
                try connection.execute("PRAGMA user_version = \(currentVersion)")
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
