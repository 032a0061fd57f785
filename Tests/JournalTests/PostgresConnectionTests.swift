import Foundation
import Synchronization
import Testing
@testable import Journal

/// `PostgresConnection.sendWithNext`: the journal writer's BEGIN and SAVEPOINT ride along with
/// the batch's first request instead of a round trip each (docs/cluster.md "Measured"); they
/// must act exactly as if sent alone, and a failure among them must fail that request.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason))
struct PostgresConnectionTests {
    private static let insert = "INSERT INTO probe(v) VALUES ($1)"

    private func setUp() throws -> (writer: PostgresConnection, observer: PostgresConnection) {
        let url = try PostgresTestCluster.start().createDatabase()
        let writer = try PostgresConnection(url: url)
        try writer.execute("CREATE TABLE probe(v int8 PRIMARY KEY)")
        return (writer, try PostgresConnection(url: url))
    }

    private func count(_ observer: PostgresConnection) throws -> Int64 {
        try observer.query("count", "SELECT count(*) FROM probe").int64(0, 0)
    }

    @Test func aQueuedBeginOpensTheTransactionOfThePipelineThatCarriesIt() throws {
        let (writer, observer) = try setUp()
        defer { writer.close(); observer.close() }
        writer.sendWithNext("BEGIN")
        writer.sendWithNext("SAVEPOINT run")
        let rows = try writer.pipeline([
            PostgresStatement(name: "insert", sql: Self.insert, parameters: [.int64(1)]),
            PostgresStatement(name: "insert", sql: Self.insert, parameters: [.int64(2)]),
        ])
        #expect(rows.map(\.affected) == [1, 1], "one result per statement, none for the queued commands")
        #expect(writer.isInTransaction)
        #expect(try count(observer) == 0, "nothing visible before COMMIT")
        // The savepoint went out too: rolling back to it undoes the run, not the transaction.
        try writer.execute("ROLLBACK TO SAVEPOINT run")
        try writer.query("insert", Self.insert, [.int64(3)])
        try writer.execute("COMMIT")
        #expect(!writer.isInTransaction)
        #expect(try observer.query("values", "SELECT v FROM probe ORDER BY v").rows.count == 1)
    }

    @Test func aQueuedCommandTravelsWithAQueryOrAnExecuteToo() throws {
        let (writer, observer) = try setUp()
        defer { writer.close(); observer.close() }
        writer.sendWithNext("BEGIN")
        try writer.query("insert", Self.insert, [.int64(1)])
        #expect(writer.isInTransaction)
        try writer.execute("ROLLBACK")
        writer.sendWithNext("BEGIN")
        try writer.execute("COMMIT")  // BEGIN; COMMIT: an empty transaction, no error
        #expect(!writer.isInTransaction)
        #expect(try count(observer) == 0)
    }

    @Test func aFailingQueuedCommandFailsItsRequestAndADiscardedOneNeverGoesOut() throws {
        let (writer, observer) = try setUp()
        defer { writer.close(); observer.close() }
        writer.sendWithNext("SELECT 1/0")
        #expect(throws: PostgresError.self) {
            try writer.pipeline([PostgresStatement(name: "insert", sql: Self.insert, parameters: [.int64(1)])])
        }
        #expect(try count(observer) == 0, "the statements after the failed command were skipped")
        writer.sendWithNext("SELECT 1/0")
        writer.discardPrelude()
        try writer.query("insert", Self.insert, [.int64(2)])
        #expect(try count(observer) == 1)
    }
}

/// The lease renewal against a batch holding lease rows FOR SHARE (the journal writer does,
/// in its entries' order): it may wait, never deadlock.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason))
struct LeaseRenewalLockTests {
    @Test func aRenewalWaitingForABatchNeverHoldsARowTheBatchWantsNext() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let leases = try SegmentLeases(url: url, instanceID: "i1", epochs: SegmentEpochs())
        defer { leases.close() }
        let epochA = try #require(try leases.acquire("a"))
        let epochB = try #require(try leases.acquire("b"))
        // A batch that locked b first…
        let batch = try PostgresConnection(url: url)
        defer { batch.close() }
        try batch.execute("BEGIN")
        try batch.query("lock", "SELECT 1 FROM segment_owner WHERE segment = $1 AND epoch = $2 FOR SHARE", [.text("b"), .int64(Int64(epochB))])
        // …while the renewal runs and ends up waiting for b.
        // On a thread of its own: the renewal blocks in libpq, and must not depend on a free
        // thread of the shared cooperative pool (other suites' leftovers may hold them).
        let renewed = Mutex<Result<LeaseRenewal, JournalError>?>(nil)
        let finished = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            let result = Result { () throws(JournalError) -> LeaseRenewal in try leases.renew(announcing: "http://127.0.0.1:1") }
            renewed.withLock { $0 = result }
            finished.signal()
        }
        let observer = try PostgresConnection(url: url)
        defer { observer.close() }
        let clock = ContinuousClock()
        let deadline = clock.now + .seconds(30)
        var waiting = false
        // Bounded wait for the condition "the renewal is blocked on the batch's lock".
        while !waiting, clock.now < deadline {
            waiting = try observer.query("waiting", """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%segment_owner%'
                """).int64(0, 0) > 0
        }
        try #require(waiting, "the renewal waits for the batch's row")
        // The batch now wants a: one UPDATE of every row would hold it (deadlock, one side
        // aborted after deadlock_timeout); renewing row by row it is free.
        try batch.query("lock", "SELECT 1 FROM segment_owner WHERE segment = $1 AND epoch = $2 FOR SHARE", [.text("a"), .int64(Int64(epochA))])
        try batch.execute("COMMIT")
        #expect(finished.wait(timeout: .now() + 30) == .success, "the renewal finished")
        let renewal = try #require(renewed.withLock { $0 }).get()
        #expect(renewal.renewed.sorted() == ["a", "b"])
        #expect(renewal.lost.isEmpty)
    }
}

/// `/metrics` reads `commitMetrics`: the PostgreSQL store reports its group commits as SQLite does.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason))
struct PostgresCommitMetricsTests {
    @Test func committedBatchesAndEntriesAreReported() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let epochs = SegmentEpochs()
        let leases = try SegmentLeases(url: url, instanceID: "i1", epochs: epochs)
        defer { leases.close() }
        _ = try #require(try leases.acquire("m"))
        let journal = try PostgresJournal(configuration: .init(url: url, epochs: epochs))
        defer { journal.close() }
        try await journal.submit([entry("m", 1), entry("m", 2)], idempotency: nil).durable()
        let metrics = try #require(journal.commitMetrics)
        #expect(metrics.batchesCommitted >= 1)
        #expect(metrics.entriesCommitted == 2)
    }
}
