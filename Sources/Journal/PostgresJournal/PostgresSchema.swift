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
        // 1 → 2. Transfers across instances (DESIGN.md): the outbox (one row per transfer,
        // opened with the source's debit, advanced with the destination's credit and the
        // source's settlement, each in that step's fenced transaction); transfer ids from one
        // sequence, handed out in blocks; each served segment's mode and spec, published by
        // its owner for the other instances' bridge checks; and the bridge book's stream,
        // written by any instance under the fixed epoch 0 (its sequence numbers serialize
        // the writers: a second writer of the same sequence is refused as a conflict); and
        // the segment event log (API.md "Events"), written with the entry that caused it.
        """
        CREATE TABLE transfer_outbox(
            id              bigint      NOT NULL PRIMARY KEY,
            state           text        NOT NULL,
            account         text        NOT NULL,
            from_segment    text        NOT NULL,
            to_segment      text        NOT NULL,
            asset           text        NOT NULL,
            amount          text        NOT NULL,
            accepted_at     bigint      NOT NULL,
            idempotency_key text,
            request_hash    bytea,
            answer          bytea,
            reason          text,
            updated_at      timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        CREATE INDEX transfer_outbox_to_credit ON transfer_outbox(to_segment) WHERE state = 'pending';
        CREATE INDEX transfer_outbox_to_settle ON transfer_outbox(from_segment) WHERE state IN ('credited', 'refused');
        CREATE INDEX transfer_outbox_by_key ON transfer_outbox(idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE SEQUENCE transfer_ids START 1 INCREMENT BY 64;
        CREATE TABLE segment_status(
            segment text        NOT NULL PRIMARY KEY,
            epoch   bigint      NOT NULL,
            mode    text        NOT NULL,
            spec    bytea       NOT NULL,
            usage   bytea       NOT NULL DEFAULT '',
            updated timestamptz NOT NULL DEFAULT clock_timestamp()
        );
        INSERT INTO segment_owner(segment, owner, epoch, lease_until) VALUES ('@bridges', NULL, 0, to_timestamp(0))
        ON CONFLICT DO NOTHING;
        CREATE TABLE events(
            segment  text    NOT NULL,
            sequence bigint  NOT NULL,
            idx      integer NOT NULL,
            type     text    NOT NULL,
            data     bytea   NOT NULL,
            PRIMARY KEY(segment, sequence, idx)
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
