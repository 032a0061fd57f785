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
