import Foundation
import Synchronization
import Testing
@testable import BulkheadService
@testable import Journal
#if canImport(Glibc)
import Glibc
#endif

/// `bulkhead serve --cluster` as real processes on loopback: the start-up errors, then two
/// instances on one database answering over real sockets. The lease loop is set far slower
/// than the test (`cluster.renewMillis` 200 s), so what each instance serves is fixed by its
/// first round: the first to start takes every segment. The failovers (2 s leases): SIGSTOP
/// here, kill -9 of an owner under concurrent load in `ClusterProcessTests+Failover.swift`.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterProcessTests {
    static let key = "cluster-process-test-key"

    /// A config folder with the repository's segments and one admin key.
    func configFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "bulkhead-cluster-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: ClusterTestNode.repoRoot + "/Config/segments.json", toPath: folder + "/segments.json")
        let digest = SHA256Digest.hex(SHA256Digest.sha256(of: Self.key))
        try #"{"keys":[{"id":"ops","sha256":"\#(digest)","role":"admin","segments":["*"]}]}"#
            .write(toFile: folder + "/keys.json", atomically: true, encoding: .utf8)
        return folder
    }

    @Test func anUnreachableDatabaseOrAMissingInstanceIdFailsTheStart() throws {
        let binary = try #require(ReplayToolTests.binary, "build the bulkhead executable first")
        let config = try configFolder()
        defer { try? FileManager.default.removeItem(atPath: config) }
        let port = PostgresTestCluster.freePort()
        let unreachable = try ReplayToolTests.run(binary, [
            "serve", "--config", config, "--port", "0", "--cluster", "postgres://bulkhead@127.0.0.1:\(port)/none",
            "--instance-id", "a", "--advertise", "http://127.0.0.1:1",
        ])
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("cluster database"), "\(unreachable.stderr)")

        let incomplete = try ReplayToolTests.run(binary, [
            "serve", "--config", config, "--port", "0", "--cluster", "postgres://bulkhead@127.0.0.1:\(port)/none",
        ])
        #expect(incomplete.status != 0)
        #expect(incomplete.stderr.contains("cluster.instanceId"), "\(incomplete.stderr)")
    }

    @Test func twoInstancesRedirectAndDescribeTheClusterOverRealSockets() throws {
        let binary = try #require(ReplayToolTests.binary, "build the bulkhead executable first")
        let url = try PostgresTestCluster.start().createDatabase()
        let config = try configFolder()
        defer { try? FileManager.default.removeItem(atPath: config) }
        let slow = ["BULKHEAD_CLUSTER_LEASE_MILLIS": "600000", "BULKHEAD_CLUSTER_RENEW_MILLIS": "200000"]
        let (portA, portB) = (PostgresTestCluster.freePort(), PostgresTestCluster.freePort())
        func start(_ id: String, _ port: Int) throws -> ServeProcess {
            try ServeProcess(binary, [
                "--config", config, "--port", "\(port)", "--cluster", url, "--instance-id", id,
                "--advertise", "http://127.0.0.1:\(port)",
            ], environment: slow)
        }
        let a = try start("a", portA)
        defer { a.stop() }
        #expect(a.waitForLog("ready (cluster)"), "\(a.lines.joined(separator: "\n"))")
        let b = try start("b", portB)
        defer { b.stop() }
        #expect(b.waitForLog("ready (cluster)"), "\(b.lines.joined(separator: "\n"))")

        let moved = try ServeProcess.request(port: portB, "GET", "/v1/segments/majors/accounts?limit=5", key: Self.key)
        #expect(moved.status == 307, "\(moved.body)")
        #expect(moved.header("Location") == "http://127.0.0.1:\(portA)/v1/segments/majors/accounts?limit=5")
        #expect(moved.header("Bulkhead-Owner") == "a")
        #expect(try ServeProcess.request(port: portA, "GET", "/v1/segments/majors/accounts?limit=5", key: Self.key).status == 200)

        let cluster = try ServeProcess.request(port: portB, "GET", "/v1/cluster", key: Self.key)
        #expect(cluster.status == 200, "\(cluster.body)")
        #expect(cluster.body.contains(#""id":"a","url":"http://127.0.0.1:\#(portA)","live":true,"segments":["alts","majors","stable"]"#), "\(cluster.body)")
        #expect(cluster.body.contains(#""id":"b","url":"http://127.0.0.1:\#(portB)","live":true,"segments":[]"#), "\(cluster.body)")
        let ready = try ServeProcess.request(port: portA, "GET", "/readyz", key: Self.key)
        #expect(ready.status == 200 && ready.body.contains(#""segments":["alts","majors","stable"]"#), "\(ready.body)")
    }

    /// SIGSTOP of an owner past its lease: the other instance takes over; a write sent to
    /// the paused one is answered only after SIGCONT, and never applied (503 fenced, or 307
    /// once it learned the new owner); it stops serving the segment; the journal holds no row
    /// with a stale epoch after the new owner's first.
    @Test func aPausedOwnerResumedAfterATakeoverCannotWrite() throws {
        let pair = try FailoverPair(configFolder: configFolder())
        defer { pair.removeConfig() }
        let (portA, portB, segment) = (pair.portA, pair.portB, pair.segment)
        func start(_ id: String, _ port: Int) throws -> ServeProcess { try pair.start(id, port) }
        let body = #"{"account":"alice","asset":"USDC","amount":"1000"}"#
        let a = try start("a", portA)
        defer { a.stop() }
        #expect(bounded(a) { a.waitForLog("ready (cluster)") })
        let b = try start("b", portB)
        defer { b.stop() }
        #expect(bounded(b) { b.waitForLog("ready (cluster)") })
        #expect(try ServeProcess.request(port: portA, "POST", "/v1/segments/\(segment)/collateral", key: Self.key, body: body).status == 200)

        kill(a.process.processIdentifier, SIGSTOP)
        let tookOver = bounded(b) { b.waitForLog { $0.contains("segment taken") && $0.contains("segment=\(segment)") } }
        if !tookOver { kill(a.process.processIdentifier, SIGCONT) }
        try #require(tookOver, "b took \(segment) over from the paused a")

        // A write reaches the paused a; it is answered once a resumes.
        let answered = DispatchSemaphore(value: 0)
        let late = Mutex<ClusterTestResponse?>(nil)
        DispatchQueue.global().async {
            let response = try? ServeProcess.request(port: portA, "POST", "/v1/segments/\(segment)/collateral", key: Self.key, body: body)
            late.withLock { $0 = response }
            answered.signal()
        }
        kill(a.process.processIdentifier, SIGCONT)
        #expect(answered.wait(timeout: .now() + 60) == .success)
        let refused = try #require(late.withLock { $0 })
        #expect([307, 503].contains(refused.status), "the resumed owner's write is refused: \(refused.status) \(refused.body)")

        // The new owner writes under its epoch; only a's first deposit and this one exist.
        #expect(try ServeProcess.request(port: portB, "POST", "/v1/segments/\(segment)/collateral", key: Self.key, body: body).status == 200)
        let account = try ServeProcess.request(port: portB, "GET", "/v1/segments/\(segment)/accounts/alice", key: Self.key)
        #expect(account.body.contains(#""collateralValue":"2000""#), "\(account.body)")
        let connection = try PostgresConnection(url: pair.url)
        defer { connection.close() }
        let stale = try connection.query("stale_rows", """
            SELECT count(*) FROM entries e WHERE e.segment = $1
              AND e.epoch < (SELECT max(epoch) FROM entries WHERE segment = $1)
              AND e.sequence > (SELECT min(sequence) FROM entries WHERE segment = $1
                                AND epoch = (SELECT max(epoch) FROM entries WHERE segment = $1))
            """, [.text(segment)])
        #expect(stale.int64(0, 0) == 0, "no row with a stale epoch after the new owner's first")
        let epochs = try connection.query("epochs", "SELECT count(DISTINCT epoch) FROM entries WHERE segment = $1", [.text(segment)])
        #expect(epochs.int64(0, 0) == 2, "a's rows under its epoch, then b's under the next")
    }
}

/// Two `serve --cluster` processes' common ground for the failover tests: one fresh
/// database, one config folder, 2 s leases renewed every 0.5 s, and the segment whose
/// preferred owner is instance "a".
private struct FailoverPair {
    let binary: URL
    let url: String
    let config: String
    let portA = PostgresTestCluster.freePort()
    let portB = PostgresTestCluster.freePort()
    let segment: String

    init(configFolder: String) throws {
        config = configFolder
        binary = try #require(ReplayToolTests.binary, "build the bulkhead executable first")
        url = try PostgresTestCluster.start().createDatabase()
        segment = try #require(["alts", "majors", "stable"].first { PreferredOwner.of($0, among: ["a", "b"]) == "a" })
    }

    func start(_ id: String, _ port: Int) throws -> ServeProcess {
        try ServeProcess(binary, [
            "--config", config, "--port", "\(port)", "--cluster", url, "--instance-id", id,
            "--advertise", "http://127.0.0.1:\(port)",
        ], environment: ["BULKHEAD_CLUSTER_LEASE_MILLIS": "2000", "BULKHEAD_CLUSTER_RENEW_MILLIS": "500"])
    }

    func removeConfig() { try? FileManager.default.removeItem(atPath: config) }
}
