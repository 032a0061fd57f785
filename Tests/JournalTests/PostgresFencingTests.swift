import Synchronization
import Testing
@testable import Journal

/// Ownership and fencing on PostgreSQL (DESIGN.md "Past one machine"): leases on the
/// database's clock, epochs bumped on every takeover, appends checked against the epoch in
/// the same statement. Expiry is simulated by moving `lease_until` into the past on the
/// database, so no test waits for a clock.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason))
struct PostgresFencingTests {
    /// Two instances on one database, each with its leases and journal.
    final class Instance {
        let epochs = SegmentEpochs()
        let leases: SegmentLeases
        let journal: PostgresJournal
        let fenced = FencedLog()

        init(_ id: String, url: String) throws {
            leases = try SegmentLeases(url: url, instanceID: id, epochs: epochs)
            let fenced = self.fenced
            journal = try PostgresJournal(configuration: .init(url: url, epochs: epochs) { segment, epoch in
                fenced.record("\(segment)@\(epoch)")
            })
        }

        deinit {
            journal.close()
            leases.close()
        }
    }

    private func expireLeases(_ url: String) throws {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        try connection.execute("UPDATE segment_owner SET lease_until = clock_timestamp() - interval '1 second'")
    }

    @Test func aLiveLeaseKeepsOthersOutAndAnExpiredOneIsTakenWithTheNextEpoch() throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url), b = try Instance("b", url: url)
        #expect(try a.leases.acquire("s") == 1)
        #expect(try b.leases.acquire("s") == nil)
        #expect(try a.leases.renew(announcing: "http://a") == LeaseRenewal(renewed: ["s"], lost: []))
        #expect(try b.leases.acquire("s") == nil)

        try expireLeases(url)
        #expect(try b.leases.acquire("s") == 2)
        #expect(b.epochs.epoch(of: "s") == 2)
        // The old owner learns it at its next renewal and forgets the segment.
        #expect(try a.leases.renew(announcing: "http://a") == LeaseRenewal(renewed: [], lost: ["s"]))
        #expect(a.epochs.epoch(of: "s") == nil)

        let leases = try b.leases.leases()
        #expect(leases.map(\.segment) == ["s"])
        #expect(leases.first?.owner == "b" && leases.first?.epoch == 2 && leases.first?.isLive == true)
        #expect(try b.leases.instances().map(\.id) == ["a"])
    }

    @Test func theOldOwnersAppendIsRefusedAndNoStaleRowFollowsTheNewOwnersFirst() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url), b = try Instance("b", url: url)
        _ = try a.leases.acquire("s")
        try await a.journal.submit([entry("s", 1)], idempotency: nil).durable()

        try expireLeases(url)
        _ = try #require(try b.leases.acquire("s"))
        // A still believes it owns "s" (it has not renewed): the database refuses anyway.
        #expect(a.epochs.epoch(of: "s") == 1)
        let stale = await failure(of: a.journal.submit([entry("s", 2, payload: [0xA])], idempotency: idempotency("from-a")))
        #expect(stale?.reason == .fenced)
        #expect(a.fenced.events == ["s@1"])
        #expect(a.epochs.epoch(of: "s") == nil)
        // Once fenced, it refuses at submit without asking the database.
        #expect(await failure(of: a.journal.submit([entry("s", 3)], idempotency: nil))?.reason == .fenced)
        #expect(a.journal.metrics.fencedOperations == 2)

        try await b.journal.submit([entry("s", 2, payload: [0xB])], idempotency: nil).durable()
        try await b.journal.submit([entry("s", 3, payload: [0xB])], idempotency: nil).durable()
        #expect(try b.journal.allEntries("s").map(\.payload) == [Array("s#1".utf8), [0xB], [0xB]])
        #expect(try b.journal.idempotencyRecord(key: "from-a") == nil)
        #expect(try staleRowsAfterTakeover(url) == 0)
        #expect(try epochsBySequence(url) == [1, 2, 2])
    }

    /// A paused owner: its batch was queued before the takeover and reaches the database
    /// after it (here it waits on a table lock while the other instance takes over).
    @Test func aPausedOwnersPendingWritesAreRefusedAfterTheTakeover() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url), b = try Instance("b", url: url)
        _ = try a.leases.acquire("s")
        try await a.journal.submit([entry("s", 1)], idempotency: nil).durable()

        let lock = try PostgresTableLock(url: url)
        let pending = (2...4).map { a.journal.submit([entry("s", UInt64($0))], idempotency: nil) }
        try expireLeases(url)
        _ = try #require(try b.leases.acquire("s"))
        try lock.release()

        for ticket in pending { #expect(await failure(of: ticket)?.reason == .fenced) }
        #expect(try a.journal.allEntries("s").map(\.sequence) == [1])
        try await b.journal.submit([entry("s", 2)], idempotency: nil).durable()
        #expect(try staleRowsAfterTakeover(url) == 0)
    }

    /// The takeover's UPDATE conflicts with the append's row lock: while the owner's batch
    /// is open, the new owner's takeover waits; the batch commits under the old epoch.
    @Test func aTakeoverWaitsForTheBatchThatHoldsTheLeaseRow() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url)
        _ = try a.leases.acquire("s")
        let holder = try PostgresConnection(url: url)
        try holder.execute("BEGIN; SELECT epoch FROM segment_owner WHERE segment = 's' FOR SHARE")
        let probe = try PostgresConnection(url: url)
        try probe.execute("SET lock_timeout = '200ms'")
        try expireLeases(url: url, on: probe, expectingLockTimeout: true)
        try holder.execute("COMMIT")
        try expireLeases(url: url, on: probe, expectingLockTimeout: false)
    }

    private func expireLeases(url: String, on connection: PostgresConnection, expectingLockTimeout: Bool) throws {
        do {
            try connection.execute("UPDATE segment_owner SET lease_until = clock_timestamp() - interval '1 second'")
            #expect(!expectingLockTimeout)
        } catch {
            #expect(expectingLockTimeout && error.sqlState == "55P03", "\(error)")
        }
    }

    @Test func aSegmentNeverLeasedIsFencedAtSubmitAndNothingIsWritten() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url)
        #expect(await failure(of: a.journal.submit([entry("free", 1)], idempotency: nil))?.reason == .fenced)
        await #expect(throws: JournalError.self) {
            try await a.journal.saveSnapshot(SnapshotRecord(segment: "free", sequence: 1, stateHash: 0, bytes: []))
        }
        #expect(try a.journal.segmentIDs().isEmpty)
    }

    @Test func releaseAndLeftoversOfAnEarlierRunFreeTheSegmentAtOnce() throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url), b = try Instance("b", url: url)
        _ = try a.leases.acquire("released")
        try a.leases.release("released")
        #expect(a.epochs.epoch(of: "released") == nil)
        #expect(try b.leases.acquire("released") == 2)

        _ = try a.leases.acquire("left")
        // "a" restarts: the new process holds nothing, so its first renewal gives "left" up.
        let restarted = try Instance("a", url: url)
        #expect(try restarted.leases.renew(announcing: "http://a") == LeaseRenewal(renewed: [], lost: []))
        #expect(try b.leases.acquire("left") == 2)
    }

    @Test func anUnreachableServerFailsAtOpenWithAStorageError() throws {
        let url = "postgres://postgres@127.0.0.1:1/none"
        #expect {
            try PostgresJournal(configuration: .init(url: url, epochs: SegmentEpochs(), connectTimeoutSeconds: 1))
        } throws: { error in
            (error as? JournalError)?.reason == .storage
        }
    }

    /// The server drops the journal's connections: the batch in flight fails closed, the
    /// journal stays failed until `reopen`, and then writes and reads work again.
    @Test func aLostConnectionFailsClosedUntilReopen() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try Instance("a", url: url)
        _ = try a.leases.acquire("s")
        try await a.journal.submit([entry("s", 1)], idempotency: nil).durable()
        try terminateJournalConnections(url)

        #expect(await failure(of: a.journal.submit([entry("s", 2)], idempotency: nil))?.reason == .storage)
        #expect(!a.journal.health.isOK)
        #expect(await failure(of: a.journal.submit([entry("s", 3)], idempotency: nil))?.reason == .storage)
        try await a.journal.reopen()
        #expect(a.journal.health.isOK)
        try await a.journal.submit([entry("s", 2)], idempotency: nil).durable()
        // Reads reconnect on their own.
        #expect(try a.journal.allEntries("s").map(\.sequence) == [1, 2])
    }

    private func terminateJournalConnections(_ url: String) throws {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        try connection.execute("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
    }

    /// Rows written under an older epoch after the first row of a newer one.
    private func staleRowsAfterTakeover(_ url: String) throws -> Int64 {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        return try connection.query("stale", """
            SELECT count(*) FROM entries stale WHERE EXISTS (
                SELECT 1 FROM entries newer
                WHERE newer.segment = stale.segment AND newer.epoch > stale.epoch AND newer.sequence < stale.sequence)
            """).int64(0, 0)
    }

    private func epochsBySequence(_ url: String) throws -> [Int64] {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        let rows = try connection.query("epochs", "SELECT epoch FROM entries ORDER BY segment, sequence")
        return (0..<rows.count).map { rows.int64($0, 0) }
    }
}

/// The `onFenced` calls an instance received, in order.
final class FencedLog: Sendable {
    private let state = Mutex<[String]>([])
    func record(_ event: String) { state.withLock { $0.append(event) } }
    var events: [String] { state.withLock { $0 } }
}

@Suite struct PostgresAvailabilityTests {
    /// Reports, as a skipped test, that the PostgreSQL half of the journal tests did not run.
    @Test(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason))
    func postgresTestsRun() throws {
        #expect(StoreKind.available.contains(.postgres))
        let connection = try PostgresConnection(url: try PostgresTestCluster.start().url())
        defer { connection.close() }
        #expect(try connection.query("version", "SELECT current_setting('server_version_num')::int").int64(0, 0) >= 150_000)
    }
}
