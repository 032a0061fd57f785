import Foundation
import Testing
@testable import BulkheadService
@testable import Journal
import RiskEngine

/// Transfers between segments served by different instances (DESIGN.md "Transfers across
/// instances"): two in-process instances on one throw-away PostgreSQL database, each step
/// committed in its own segment's fenced transaction with the outbox row, relayed by
/// `NOTIFY` or by the next ownership round. Nothing here waits on time to pass: a transfer
/// whose other end has no owner answers `transfer_pending` and completes when the test runs
/// the round that gives that end an owner.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterTransferTests {
    static let segments = ["alts", "majors", "stable"]

    private func startPair(url: String, waitA: Int = 60_000) async throws -> (ClusterTestNode, ClusterTestNode) {
        let a = try ClusterTestNode("a", url: url, transferWaitMilliseconds: waitA), b = try ClusterTestNode("b", url: url)
        try await a.app.startInProcess()
        try await b.app.startInProcess()
        for node in [a, b, a, b, a, b] { #expect(await node.round()) }
        return (a, b)
    }

    /// A stopped instance: its leases and announcement run out on the database's clock.
    private func expire(_ instance: String, url: String) throws {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        try connection.execute("UPDATE segment_owner SET lease_until = clock_timestamp() - interval '1 second' WHERE owner = '\(instance)'")
        try connection.execute("UPDATE instances SET alive_until = clock_timestamp() - interval '1 second' WHERE id = '\(instance)'")
    }

    private func count(_ sql: String, url: String) throws -> Int64 {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        return try connection.query("count", sql).int64(0, 0)
    }

    /// A bridge `from` → `to` for USDC, and 1000 USDC for alice in `from` (served by `node`).
    private func openBridgeAndFund(on node: ClusterTestNode, from: String, to: String) async throws {
        let put = await node.send(.put, "/v1/bridges", body: bridge(from, to))
        #expect(put.status == 200, "\(put.body)")
        let deposit = await node.send(.post, "/v1/segments/\(from)/collateral", body: #"{"account":"alice","asset":"USDC","amount":"1000"}"#)
        #expect(deposit.status == 200, "\(deposit.body)")
    }

    private func bridge(_ from: String, _ to: String) -> String {
        #"{"from":"\#(from)","to":"\#(to)","asset":"USDC","windowSeconds":3600,"windowLimit":"1000000","maxTransfer":"250000","elevatedFactor":"0.25","enabled":true}"#
    }

    private func transfer(_ from: String, _ to: String, _ amount: String) -> String {
        #"{"account":"alice","from":"\#(from)","to":"\#(to)","asset":"USDC","amount":"\#(amount)"}"#
    }

    private func equity(_ node: ClusterTestNode, _ segment: String) async throws -> String {
        let account = await node.send(.get, "/v1/segments/\(segment)/accounts/alice")
        #expect(account.status == 200, "\(account.body)")
        let json = try JSONSerialization.jsonObject(with: Data(account.body.utf8)) as? [String: Any]
        return json?["equity"] as? String ?? "?"
    }

    private func transferID(_ body: String) -> UInt64? {
        guard let range = body.range(of: #"tr-[0-9]{9,}"#, options: .regularExpression) else { return nil }
        return TransferRecord.id(parsing: String(body[range]))
    }

    @Test func aTransferBetweenInstancesCompletesOnceAndTheBridgeBookIsShared() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let source = try #require(a.served.first), destination = try #require(b.served.first)

        // The bridge is created on the instance that serves neither... here: b, not the
        // source's owner; every instance sees it after its next round.
        let put = await b.send(.put, "/v1/bridges", body: bridge(source, destination))
        #expect(put.status == 200, "\(put.body)")
        #expect(await a.round())
        let listed = await a.send(.get, "/v1/bridges")
        #expect(listed.body.contains(#""from":"\#(source)","to":"\#(destination)""#), "\(listed.body)")

        #expect(await a.send(.post, "/v1/segments/\(source)/collateral", body: #"{"account":"alice","asset":"USDC","amount":"1000"}"#).status == 200)

        // Asked of the instance that does not serve the source: sent to its owner.
        let moved = await b.send(.post, "/v1/transfers", body: transfer(source, destination, "400"))
        #expect(moved.status == 307, "\(moved.body)")
        #expect(moved.header("Location") == "http://a.test:8080/v1/transfers")
        #expect(moved.header("Bulkhead-Owner") == "a")

        let key = [(name: "Idempotency-Key", value: "move-400")]
        let done = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "400"), headers: key)
        #expect(done.status == 200, "\(done.body)")
        #expect(done.body.contains(#""decision":"accepted""#) && done.body.contains(#""state":"completed""#), "\(done.body)")
        #expect(done.body.contains(#""to":{"segment":"\#(destination)","account":"alice""#), "the destination account, as its owner credited it: \(done.body)")
        let id = try #require(transferID(done.body))

        #expect(try await equity(a, source) == "600")
        #expect(try await equity(b, destination) == "400")
        let row = try #require(try a.membership.outbox.row(id: id))
        #expect(row.stage == .completed)
        #expect(b.ownership.counters.current.transferCredits == 1 && a.ownership.counters.current.transferSettlements == 1)
        let metrics = await a.send(.get, "/metrics")
        #expect(metrics.body.contains("bulkhead_cluster_transfer_settlements 1"), "\(metrics.body.prefix(400))")

        // The same request again: the stored answer, nothing moved twice.
        let again = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "400"), headers: key)
        #expect(again.status == 200 && again.body == done.body, "\(again.body)")
        #expect(try await equity(a, source) == "600")
        #expect(try await equity(b, destination) == "400")

        // Any instance finds it; exactly one credit, one debit, one settlement were journaled.
        let record = await b.send(.get, "/v1/transfers/\(TransferRecord.idText(id))")
        #expect(record.status == 200 && record.body.contains(#""state":"completed""#), "\(record.body)")
        #expect(try count("SELECT count(*) FROM transfer_outbox", url: url) == 1)

        // b does not serve the source: it shows the window use a published at its round.
        #expect(await a.round())
        #expect(await b.round())
        let seen = await b.send(.get, "/v1/bridges")
        #expect(seen.body.contains(#""usedInWindow":"400","available":"999600""#), "\(seen.body)")

        // The shared book: removed on a, gone on b after its round.
        let removed = await a.send(.delete, "/v1/bridges?from=\(source)&to=\(destination)&asset=USDC")
        #expect(removed.status == 200, "\(removed.body)")
        #expect(await b.round())
        #expect(await b.send(.get, "/v1/bridges").body == #"{"bridges":[]}"#)
    }

    @Test func aTransferWaitsForTheDestinationsNewOwnerAndCompletesAfterTheTakeover() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url, waitA: 200)
        let source = try #require(a.served.first), destination = try #require(b.served.first)
        try await openBridgeAndFund(on: a, from: source, to: destination)

        // b dies: no more relay, and its leases run out.
        b.membership.stopListening()
        try expire("b", url: url)
        let key = [(name: "Idempotency-Key", value: "move-250")]
        let pending = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "250"), headers: key)
        #expect(pending.status == 503, "\(pending.body)")
        #expect(pending.body.contains(#""code":"transfer_pending""#))
        #expect(pending.header("Retry-After") != nil)
        let id = try #require(transferID(pending.body))
        #expect(try await equity(a, source) == "750", "debited, in transit")
        #expect(await a.send(.get, "/v1/transfers/\(TransferRecord.idText(id))").body.contains(#""state":"pending""#))

        // A retry while it is on its way waits for the same transfer: never a second debit.
        let retry = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "250"), headers: key)
        #expect(retry.status == 503 && retry.body.contains(TransferRecord.idText(id)), "\(retry.body)")
        #expect(try await equity(a, source) == "750")

        // a's next round takes the destination over and relays: credited, then completed.
        #expect(await a.round())
        #expect(a.served.contains(destination))
        let final = await a.send(.get, "/v1/transfers/\(TransferRecord.idText(id))")
        #expect(final.body.contains(#""state":"completed""#), "\(final.body)")
        #expect(try await equity(a, source) == "750")
        #expect(try await equity(a, destination) == "250")

        // The retry now gets the answer stored with the settlement.
        let answered = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "250"), headers: key)
        #expect(answered.status == 200 && answered.body.contains(#""state":"completed""#), "\(answered.body)")
        #expect(try await equity(a, source) == "750")
        #expect(try count("SELECT count(*) FROM transfer_outbox WHERE state = 'completed'", url: url) == 1)
    }

    @Test func aTransferTheDestinationCannotTakeAnyMoreIsRefundedAndAStaleOwnerCannotRefuse() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url, waitA: 200)
        let source = try #require(a.served.first), destination = try #require(b.served.first)
        try await openBridgeAndFund(on: a, from: source, to: destination)

        // The destination's owner is slow (not listening); it is halted after the debit.
        b.membership.stopListening()
        let pending = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "300"))
        #expect(pending.status == 503 && pending.body.contains("transfer_pending"), "\(pending.body)")
        let id = try #require(transferID(pending.body))
        #expect(await b.send(.put, "/v1/segments/\(destination)/mode", body: #"{"mode":"halted","reason":"test"}"#).status == 200)

        // A refusal under a stale epoch changes nothing.
        let epoch = try #require(b.membership.epochs.epoch(of: destination))
        #expect(try !b.membership.outbox.refuse(id: id, into: destination, epoch: epoch + 1, reason: "stale"))
        #expect(try a.membership.outbox.row(id: id)?.stage == .pending)

        // b relays: refused; a relays: refunded — alice has her 1000 back, nothing in b.
        await b.app.clusterTransfers!.relay()
        #expect(try a.membership.outbox.row(id: id)?.stage == .refused)
        #expect(b.ownership.counters.current.transferRefusals == 1)
        await a.app.clusterTransfers!.relay()
        let final = await a.send(.get, "/v1/transfers/\(TransferRecord.idText(id))")
        #expect(final.body.contains(#""state":"refunded""#), "\(final.body)")
        #expect(try await equity(a, source) == "1000")
        #expect(try count("SELECT count(*) FROM transfer_outbox WHERE state = 'refunded'", url: url) == 1)
    }

    @Test func theSourcesNewOwnerSettlesATransferItsDeadOwnerStarted() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url, waitA: 200)
        let source = try #require(a.served.first), destination = try #require(b.served.first)
        try await openBridgeAndFund(on: a, from: source, to: destination)

        // Both relays quiet: the transfer is debited and stays pending.
        a.membership.stopListening()
        b.membership.stopListening()
        let pending = await a.send(.post, "/v1/transfers", body: transfer(source, destination, "100"))
        let id = try #require(transferID(pending.body))
        // b credits it; then a dies before settling, and b takes the source over.
        await b.app.clusterTransfers!.relay()
        #expect(try b.membership.outbox.row(id: id)?.stage == .credited)
        try expire("a", url: url)
        #expect(await b.round())
        #expect(b.served.contains(source))
        #expect(try b.membership.outbox.row(id: id)?.stage == .completed)
        let record = await b.send(.get, "/v1/transfers/\(TransferRecord.idText(id))")
        #expect(record.body.contains(#""state":"completed""#), "\(record.body)")
        // Conservation across the two segments: 1000 in, 900 + 100 now, nothing pending.
        #expect(try await equity(b, source) == "900")
        #expect(try await equity(b, destination) == "100")
        // The dead owner's late relay changes nothing (its lease is gone: fenced).
        await a.app.clusterTransfers!.relay()
        #expect(try count("SELECT count(*) FROM transfer_outbox WHERE state = 'completed'", url: url) == 1)
        #expect(try await equity(b, source) == "900")
    }
}

extension ClusterTransferTests {
    /// Many transfers at once in both directions between two instances, some of which cannot
    /// pass (over the balance): at the end every transfer is final, each `completed` one moved
    /// its amount exactly once, and the total across both segments is what was deposited.
    @Test func concurrentTransfersBothWaysConserveValueExactly() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let left = try #require(a.served.first), right = try #require(b.served.first)
        #expect(await a.send(.put, "/v1/bridges", body: bridge(left, right)).status == 200)
        #expect(await b.send(.put, "/v1/bridges", body: bridge(right, left)).status == 200)
        #expect(await a.round())
        #expect(await b.round())
        #expect(await a.send(.post, "/v1/segments/\(left)/collateral", body: #"{"account":"alice","asset":"USDC","amount":"1000"}"#).status == 200)
        #expect(await b.send(.post, "/v1/segments/\(right)/collateral", body: #"{"account":"alice","asset":"USDC","amount":"1000"}"#).status == 200)

        // 48 transfers of 1…48 (Σ 1176 > either balance, so some are rejected for margin).
        let answers = await withTaskGroup(of: (Int, Bool, String).self) { group in
            for amount in 1...48 {
                let leftward = amount % 2 == 0
                group.addTask {
                    let (node, from, to) = leftward ? (b, right, left) : (a, left, right)
                    let answer = await node.send(.post, "/v1/transfers", body: self.transfer(from, to, "\(amount)"))
                    return (amount, leftward, "\(answer.status) \(answer.body)")
                }
            }
            var all: [(Int, Bool, String)] = []
            for await answer in group { all.append(answer) }
            return all
        }
        var moved = 0
        for (amount, leftward, answer) in answers {
            #expect(answer.hasPrefix("200 "), "\(answer)")
            if answer.contains(#""state":"completed""#) { moved += leftward ? -amount : amount }
            #expect(!answer.contains(#""state":"refunded""#), "nothing refuses here: \(answer)")
        }
        #expect(try count("SELECT count(*) FROM transfer_outbox WHERE state <> 'completed'", url: url) == 0)
        let leftEquity = try #require(Int(try await equity(a, left)))
        let rightEquity = try #require(Int(try await equity(b, right)))
        #expect(leftEquity + rightEquity == 2_000, "value is conserved across the instances")
        #expect(leftEquity == 1_000 - moved && rightEquity == 1_000 + moved, "each completed transfer moved once")
    }
}
