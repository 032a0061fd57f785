/// The cluster's tables and their version (table `bulkhead_schema`). Migration `n` takes the
/// schema from version `n` to `n + 1` in one transaction under an advisory lock, so that
/// instances starting together migrate once; a database newer than this build is refused.
enum PostgresSchema {
    static let migrations: [String] = [
        // 0 → 1. `entries.epoch` records the lease under which a row was written, which is
        // how fencing is checked after the fact (no row with a stale epoch after a takeover).
        """
        CREATE TABLE entries(
            segment  text     NOT NULL,
            sequence bigint   NOT NULL,
            epoch    bigint   NOT NULL,
            arrival  bigint   NOT NULL,
            kind     smallint NOT NULL,
            payload  bytea    NOT NULL,
            PRIMARY KEY(segment, sequence)
        );
        CREATE TABLE snapshots(
            segment    text   NOT NULL,
            sequence   bigint NOT NULL,
            state_hash bigint NOT NULL,
            bytes      bytea  NOT NULL,
            PRIMARY KEY(segment, sequence)
        );
        CREATE TABLE idempotency(
            key          text    NOT NULL PRIMARY KEY,
            request_hash bytea   NOT NULL,
            status       integer NOT NULL,
            body         bytea   NOT NULL,
            created_at   bigint  NOT NULL
        );
        CREATE INDEX idempotency_by_age ON idempotency(created_at);
        CREATE TABLE segment_owner(
            segment     text        NOT NULL PRIMARY KEY,
            owner       text,
            epoch       bigint      NOT NULL DEFAULT 0,
            lease_until timestamptz NOT NULL DEFAULT to_timestamp(0)
        );
        CREATE TABLE instances(
            id          text        NOT NULL PRIMARY KEY,
            url         text        NOT NULL,
            alive_until timestamptz NOT NULL
        );
        """,
    ]

    static var currentVersion: Int64 { Int64(migrations.count) }

    /// Any constant shared by every instance: serializes concurrent migrations.
    private static let advisoryLock: Int64 = 0x42_756C_6B68_6561

    static func migrate(_ connection: PostgresConnection) throws(PostgresError) {
        try connection.execute("BEGIN")
        do throws(PostgresError) {
            try connection.execute("""
                SELECT pg_advisory_xact_lock(\(advisoryLock));
                CREATE TABLE IF NOT EXISTS bulkhead_schema(version bigint NOT NULL);
                """)
            let rows = try connection.query("schema_version", "SELECT version FROM bulkhead_schema")
            let version = rows.isEmpty ? 0 : rows.int64(0, 0)
            if version > currentVersion {
                throw PostgresError(message: "database schema version \(version) is newer than this build (\(currentVersion))")
            }
            for step in Int(version)..<migrations.count {
                try connection.execute(migrations[step])
            }
            try connection.execute("DELETE FROM bulkhead_schema; INSERT INTO bulkhead_schema VALUES (\(currentVersion))")
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }
}
