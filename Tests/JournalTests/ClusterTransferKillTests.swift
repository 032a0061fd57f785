import Foundation
import Testing
@testable import BulkheadService
@testable import Journal
import RiskEngine
#if canImport(Glibc)
import Glibc
#endif

/// Transfers across instances under kill -9 (issue 15: "exactly once, keeping the conservation
/// invariant across instances"): three `serve --cluster` processes, client threads sending
/// transfers both ways between two segments owned by different instances, while the owner of
/// one end or the other is killed and restarted. Every wait is for a log line, an answer or
/// (at the end only) a bounded wait for the outbox to hold no open transfer.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterTransferKillTests {
    static let key = ClusterProcessTests.key
    static let kills = 6
    static let accounts = ["t0", "t1", "t2", "t3"]
    static let deposit = 1000

    @Test func transfersBothWaysStayExactlyOnceAndConserveValueOverKillsOfEitherEndsOwner() throws {
        let trio = try ClusterTrio(configFolder: ClusterProcessTests().configFolder())
        defer {
            trio.stopAll()
            trio.removeConfig()
        }
        let ends = ["majors", "alts"]
        for id in ClusterTrio.ids { try trio.start(id) }
        for id in ClusterTrio.ids { try #require(trio.waitForLog(id, "ready (cluster)"), "\(id) started:\n\(trio.board.text(of: id))") }
        for segment in ends {
            try #require(trio.waitUntilServed(segment, by: ClusterTrio.preferredOwner(of: segment)) != nil, "\(segment) served")
        }
        #expect(ClusterTrio.preferredOwner(of: "majors") != ClusterTrio.preferredOwner(of: "alts"))
        let anyPort = trio.ports["r"]!
        // r validates a bridge against the specs in its owner map: wait (bounded) until its map,
        // which `GET /v1/cluster` is made from, lists both ends (under load it can lag a round;
        // before that a PUT answers 422).
        let mapped = Date().addingTimeInterval(30)
        var map = ""
        repeat {
            map = (try? ServeProcess.request(port: anyPort, "GET", "/v1/cluster", key: Self.key, timeoutSeconds: 10).body) ?? ""
            if !ends.allSatisfy({ map.contains("\"\($0)\"") }) { usleep(100_000) }  // a bounded wait for a condition
        } while !ends.allSatisfy({ map.contains("\"\($0)\"") }) && Date() < mapped
        try #require(ends.allSatisfy { map.contains("\"\($0)\"") }, "r's map lists both ends: \(map)")
        for (from, to) in [("majors", "alts"), ("alts", "majors")] {
            let bridge = #"{"from":"\#(from)","to":"\#(to)","asset":"USDC","windowSeconds":3600,"windowLimit":"100000000","maxTransfer":"250000","elevatedFactor":"0.25","enabled":true}"#
            let put = try ServeProcess.request(port: anyPort, "PUT", "/v1/bridges", key: Self.key, body: bridge, timeoutSeconds: 10)
            try #require(put.status == 200, "bridge \(from)→\(to): \(put.status) \(put.body)")
        }
        for segment in ends {
            for account in Self.accounts {
                let body = #"{"account":"\#(account)","asset":"USDC","amount":"\#(Self.deposit)"}"#
                let answer = try TransferLoad.send(
                    ports: ClusterTrio.ids.map { trio.ports[$0]! }, "/v1/segments/\(segment)/collateral", body: body,
                    key: "deposit-\(segment)-\(account)", apiKey: Self.key, seconds: 30)
                try #require(answer?.status == 200 && answer!.body.contains(#""decision":"accepted""#), "deposit \(segment)/\(account): \(answer?.body ?? "none")")
            }
        }

        let load = TransferLoad(ports: ClusterTrio.ids.map { trio.ports[$0]! }, accounts: Self.accounts, apiKey: Self.key)
        load.start(senders: 4)
        var stopped = false
        defer { if !stopped { _ = load.stop(drainSeconds: 0) } }
        try #require(load.waitForFinal(load.finalCount + 5, seconds: 30), "transfers complete before the kills")
        for kill in 1...Self.kills {
            let segment = ends[(kill - 1) % ends.count]
            let owner = ClusterTrio.preferredOwner(of: segment)
            let epoch = try #require(trio.waitUntilServed(segment, by: owner), "kill \(kill): \(owner) serves \(segment)")
            try #require(load.waitForFinal(load.finalCount + 3, seconds: 30), "kill \(kill): transfers go on before it")
            let from = trio.board.count
            trio.kill9(owner)
            try #require(
                trio.waitForTakeover(of: segment, from: from, after: epoch, excluding: owner) != nil,
                "kill \(kill): \(segment) taken over from \(owner)")
            try trio.start(owner)
            try #require(trio.waitForLog(owner, "ready (cluster)"), "kill \(kill): \(owner) restarted")
            try #require(trio.waitUntilServed(segment, by: owner) != nil, "kill \(kill): \(owner) serves \(segment) again")
        }
        try #require(load.waitForFinal(load.finalCount + 3, seconds: 30), "transfers go on after the kills")
        stopped = true
        try #require(load.stop(drainSeconds: 20), "the senders finished")

        // No transfer left open: each still pending completes or is refunded by the instances.
        let connection = try PostgresConnection(url: trio.url)
        defer { connection.close() }
        let settled = Date().addingTimeInterval(30)
        var open = -1
        repeat {
            let rows = try connection.query("open_transfers", "SELECT count(*)::text FROM transfer_outbox WHERE state NOT IN ('completed','refunded')", [])
            open = Int(rows.text(0, 0)) ?? -1
            if open != 0 { usleep(200_000) }  // a bounded wait for a condition, not a synchronisation
        } while open != 0 && Date() < settled
        try #require(open == 0, "transfers still open at the end")

        let rows = try connection.query("outbox", "SELECT id::text, state, account, from_segment, amount, coalesce(idempotency_key, '') FROM transfer_outbox", [])
        var completedByKey: [String: Int] = [:]
        var net: [String: [String: Int128]] = [:]  // segment → account → Σ completed in − out (Amount raw)
        var (completed, refunded) = (0, 0)
        for row in 0..<rows.count {
            let (state, account, from, amount, key) = (rows.text(row, 1), rows.text(row, 2), rows.text(row, 3), Int128(rows.text(row, 4)) ?? 0, rows.text(row, 5))
            if state == "refunded" { refunded += 1; continue }
            completed += 1
            if let suffix = load.keys.first(where: { key.hasSuffix($0) }) { completedByKey[suffix, default: 0] += 1 }
            let to = from == "majors" ? "alts" : "majors"
            net[from, default: [:]][account, default: 0] -= amount
            net[to, default: [:]][account, default: 0] += amount
        }
        let acknowledged = load.completedKeys
        #expect(acknowledged.allSatisfy { completedByKey[$0] == 1 }, "acknowledged completed transfers not exactly once in the outbox: \(acknowledged.filter { completedByKey[$0] != 1 }.prefix(5))")
        #expect(completedByKey.values.allSatisfy { $0 == 1 }, "a key completed twice")
        #expect(acknowledged.count >= 20, "the load kept transferring: \(acknowledged.count)")
        #expect(load.refusals.isEmpty, "transfers refused: \(load.refusals.prefix(5))")

        for account in Self.accounts {
            var total: Int128 = 0
            let deposit = Amount("\(Self.deposit)")!.raw
            for segment in ends {
                let port = trio.ports[ClusterTrio.preferredOwner(of: segment)]!
                let answer = try ServeProcess.request(port: port, "GET", "/v1/segments/\(segment)/accounts/\(account)", key: Self.key, timeoutSeconds: 10)
                let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any], "\(answer.body)")
                let equity = try #require((json["equity"] as? String).flatMap { Amount($0) }?.raw, "\(segment)/\(account): \(answer.body)")
                let expected = deposit + (net[segment]?[account] ?? 0)
                #expect(equity == expected, "\(segment)/\(account): equity \(equity), deposit ± completed transfers \(expected) (raw)")
                total += equity
            }
            #expect(total == 2 * deposit, "\(account): conserved across both segments, \(total) (raw)")
        }
        print("transfers under kill -9 x\(Self.kills): \(load.keys.count) sent, \(acknowledged.count) acknowledged completed, \(completed) completed and \(refunded) refunded in the outbox, \(load.pendingRetries) retries after 503 (transfer_pending or no owner)")
    }
}

/// Client threads sending 1 USDC transfers between majors and alts, both ways, each under an
/// `Idempotency-Key` of its own, retried with that key (307 followed; 503, including
/// `transfer_pending`, and dead connections retried) until a final 200.
final class TransferLoad: @unchecked Sendable {
    let ports: [Int]
    let accounts: [String]
    let apiKey: String
    let run = String(UUID().uuidString.prefix(8))
    private let condition = NSCondition()
    private var stopping = false
    private var drainDeadline = Date.distantFuture
    private var running = 0
    private(set) var sent: [String] = []
    private var completed: [String] = []
    private var finals = 0
    private var refused: [String] = []
    private var pending = 0

    init(ports: [Int], accounts: [String], apiKey: String) {
        self.ports = ports
        self.accounts = accounts
        self.apiKey = apiKey
    }

    var keys: [String] { condition.withLock { sent } }
    var completedKeys: [String] { condition.withLock { completed } }
    var finalCount: Int { condition.withLock { finals } }
    var refusals: [String] { condition.withLock { refused } }
    var pendingRetries: Int { condition.withLock { pending } }

    func start(senders: Int) {
        condition.withLock { running = senders }
        for sender in 0..<senders { Thread.detachNewThread { self.send(as: sender) } }
    }

    func stop(drainSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(drainSeconds + 30)
        return condition.withLock {
            stopping = true
            drainDeadline = Date().addingTimeInterval(drainSeconds)
            while running > 0 { if !condition.wait(until: deadline) { return false } }
            return true
        }
    }

    func waitForFinal(_ count: Int, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while finals < count { if !condition.wait(until: deadline) { return false } }
            return true
        }
    }

    private func send(as sender: Int) {
        var number = 0
        while !(condition.withLock { stopping }) {
            number += 1
            let (from, to) = (sender + number) % 2 == 0 ? ("majors", "alts") : ("alts", "majors")
            let account = accounts[(sender + number / 2) % accounts.count]
            let key = "\(run)-s\(sender)-\(number)"
            condition.withLock { sent.append(key) }
            let body = #"{"account":"\#(account)","from":"\#(from)","to":"\#(to)","asset":"USDC","amount":"1"}"#
            let answer = Self.send(ports: ports, "/v1/transfers", body: body, key: key, apiKey: apiKey, seconds: 60, first: sender + number) {
                if $0 == 503 { self.condition.withLock { self.pending += 1 } }
            } draining: { self.condition.withLock { self.stopping && Date() >= self.drainDeadline } }
            condition.withLock {
                if let answer, answer.status == 200 {
                    finals += 1
                    if answer.body.contains(#""state":"completed""#) { completed.append(key) }
                } else if let answer, answer.status != 0, refused.count < 20 {
                    refused.append("\(answer.status) \(answer.body.prefix(200))")
                }
                condition.broadcast()
            }
        }
        condition.withLock {
            running -= 1
            condition.broadcast()
        }
    }

    /// Sends until a final answer (nil when `seconds` passed or the load is drained): 307
    /// followed, 503/429 and dead connections retried with the same key at the next port.
    static func send(
        ports: [Int], _ target: String, body: String, key: String, apiKey: String, seconds: Double, first: Int = 0,
        retried: (Int) -> Void = { _ in }, draining: () -> Bool = { false }
    ) -> (status: Int, body: String)? {
        let deadline = Date().addingTimeInterval(seconds)
        var next = first
        var port = ports[next % ports.count]
        while Date() < deadline && !draining() {
            let response = try? ServeProcess.request(
                port: port, "POST", target, key: apiKey, body: body, headers: [("Idempotency-Key", key)], timeoutSeconds: 20)
            let status = response?.status ?? 0
            switch status {
            case 307:
                port = response.flatMap { DurableWriteLoad.port(of: $0.header("Location") ?? "") } ?? port
            case 0, 503, 429:
                retried(status)
                next += 1
                port = ports[next % ports.count]
                usleep(20_000)  // a client's retry pace, not a synchronisation
            default:
                return (status, response?.body ?? "")
            }
        }
        return nil
    }
}
