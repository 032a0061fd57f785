import Synchronization

/// Takes, renews and releases this instance's segment leases in `segment_owner`, always on
/// the database's clock (an instance's own clock never decides who owns what). A lease taken
/// bumps the segment's epoch; `epochs` then holds it, and every journal write of that
/// segment is checked against it (DESIGN.md "Past one machine").
///
/// Its own connection, so that a renewal never waits behind a journal batch. Taking and
/// renewing share one lock, so a renewal never sees a lease half taken.
public final class SegmentLeases: Sendable {
    public let instanceID: String
    public let leaseMilliseconds: Int64
    public let epochs: SegmentEpochs
    private let connection: ReconnectingConnection

    public init(
        url: String, instanceID: String, epochs: SegmentEpochs,
        leaseMilliseconds: Int64 = 10_000, connectTimeoutSeconds: Int = 5
    ) throws(JournalError) {
        self.instanceID = instanceID
        self.epochs = epochs
        self.leaseMilliseconds = max(100, leaseMilliseconds)
        do throws(PostgresError) {
            let connection = try PostgresConnection(url: url, connectTimeoutSeconds: connectTimeoutSeconds)
            try PostgresSchema.migrate(connection)
            self.connection = ReconnectingConnection(url: url, connectTimeoutSeconds: connectTimeoutSeconds, connected: connection)
        } catch {
            throw error.journalError
        }
    }

    /// Takes the segment's lease when it is free, expired or already this instance's (a
    /// restart under the same id), with one statement that bumps the epoch. Returns the new
    /// epoch, or nil while another instance's lease is live.
    public func acquire(_ segment: String) throws(JournalError) -> UInt64? {
        try withConnection { connection throws(PostgresError) in
            // The NOTIFY rides in the same statement, sent only when the lease was taken.
            let rows = try connection.query("acquire_lease", """
                WITH taken AS (
                    INSERT INTO segment_owner AS current(segment, owner, epoch, lease_until)
                    VALUES ($1, $2, 1, clock_timestamp() + $3::float8 * interval '1 millisecond')
                    ON CONFLICT (segment) DO UPDATE
                        SET owner = excluded.owner, epoch = current.epoch + 1, lease_until = excluded.lease_until
                        WHERE current.owner IS NULL OR current.owner = excluded.owner
                           OR current.lease_until < clock_timestamp()
                    RETURNING epoch
                )
                SELECT epoch, pg_notify('\(OutboxChange.channel)', '\(Self.ownersChanged)') FROM taken
                """, [.text(segment), .text(instanceID), .int64(leaseMilliseconds)])
            guard !rows.isEmpty else { return nil }
            let epoch = UInt64(rows.int64(0, 0))
            epochs.hold(segment, epoch: epoch)
            return epoch
        }
    }

    /// Extends every lease this instance holds and announces it at `url`. A held segment
    /// whose row no longer names us at our epoch was taken over: it is dropped from `epochs`
    /// and reported lost. A row naming us that we do not hold (left by an earlier run under
    /// the same id) is released so another instance can take it at once.
    public func renew(announcing url: String) throws(JournalError) -> LeaseRenewal {
        try withConnection { connection throws(PostgresError) in
            try connection.query("announce_instance", """
                INSERT INTO instances(id, url, alive_until)
                VALUES ($1, $2, clock_timestamp() + $3::float8 * interval '1 millisecond')
                ON CONFLICT (id) DO UPDATE SET url = excluded.url, alive_until = excluded.alive_until
                """, [.text(instanceID), .text(url), .int64(leaseMilliseconds)])
            // One row per statement (each its own transaction): the journal writer holds its
            // batch's lease rows FOR SHARE in the batch's order, so one UPDATE of several rows
            // could hold one the writer wants while waiting for another it holds — a deadlock
            // (measured under load: `deadlock detected … updating tuple in segment_owner`, the
            // instance degraded for seconds). Holding one row at most, the renewal only waits.
            let named = try connection.query("leases_named", "SELECT segment FROM segment_owner WHERE owner = $1 ORDER BY segment COLLATE \"C\"",
                                             [.text(instanceID)])
            var found: [String: UInt64] = [:]
            for row in 0..<named.count {
                let renewed = try connection.query("renew_lease", """
                    UPDATE segment_owner SET lease_until = clock_timestamp() + $3::float8 * interval '1 millisecond'
                    WHERE segment = $1 AND owner = $2 RETURNING segment, epoch
                    """, [.text(named.text(row, 0)), .text(instanceID), .int64(leaseMilliseconds)])
                if !renewed.isEmpty { found[renewed.text(0, 0)] = UInt64(renewed.int64(0, 1)) }
            }
            var renewal = LeaseRenewal(renewed: [], lost: [])
            for (segment, epoch) in epochs.held {
                if found.removeValue(forKey: segment) == epoch {
                    renewal.renewed.append(segment)
                } else if epochs.revoke(segment, epoch: epoch) {
                    renewal.lost.append(segment)
                }
            }
            for (segment, epoch) in found.sorted(by: { $0.key < $1.key }) {
                try release(segment, epoch: epoch, on: connection)
            }
            return renewal
        }
    }

    /// Gives a held lease up (graceful shutdown): another instance may take it at once.
    public func release(_ segment: String) throws(JournalError) {
        guard let epoch = epochs.epoch(of: segment) else { return }
        epochs.revoke(segment, epoch: epoch)
        try withConnection { connection throws(PostgresError) in try release(segment, epoch: epoch, on: connection) }
    }

    private func release(_ segment: String, epoch: UInt64, on connection: PostgresConnection) throws(PostgresError) {
        try connection.query("release_lease", """
            WITH released AS (
                UPDATE segment_owner SET owner = NULL, lease_until = to_timestamp(0)
                WHERE segment = $1 AND owner = $2 AND epoch = $3 RETURNING 1
            )
            SELECT pg_notify('\(OutboxChange.channel)', '\(Self.ownersChanged)') FROM released
            """, [.text(segment), .text(instanceID), .int64(Int64(epoch))])
    }

    /// The `NOTIFY` payload that tells every instance the owner map changed (a lease taken
    /// or given back), so they re-read it at once instead of at their next round.
    public static let ownersChanged = "@owners"

    /// Every segment's lease, sorted by segment (not the reserved streams': the bridge book's
    /// fixed row is no lease).
    public func leases() throws(JournalError) -> [SegmentLease] {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query("list_leases", """
                SELECT segment, owner, epoch, (extract(epoch FROM lease_until) * 1000)::bigint,
                       lease_until > clock_timestamp()
                FROM segment_owner WHERE segment NOT LIKE '@%' ORDER BY segment COLLATE "C"
                """)
            return (0..<rows.count).map { row in
                SegmentLease(
                    segment: rows.text(row, 0), owner: rows.isNull(row, 1) ? nil : rows.text(row, 1),
                    epoch: UInt64(rows.int64(row, 2)), leaseUntilMilliseconds: rows.int64(row, 3), isLive: rows.bool(row, 4))
            }
        }
    }

    /// Every instance that ever announced itself, sorted by id.
    public func instances() throws(JournalError) -> [ClusterInstance] {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query("list_instances", """
                SELECT id, url, (extract(epoch FROM alive_until) * 1000)::bigint, alive_until > clock_timestamp()
                FROM instances ORDER BY id COLLATE "C"
                """)
            return (0..<rows.count).map { row in
                ClusterInstance(
                    id: rows.text(row, 0), url: rows.text(row, 1),
                    aliveUntilMilliseconds: rows.int64(row, 2), isLive: rows.bool(row, 3))
            }
        }
    }

    public func close() { connection.close() }

    private func withConnection<T: Sendable>(_ body: (PostgresConnection) throws(PostgresError) -> T) throws(JournalError) -> T {
        try connection.run(body)
    }
}
