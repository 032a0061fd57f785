import Foundation
import Synchronization
import Testing
@testable import BulkheadService
@testable import Journal

/// A transfer between segments served by two `bulkhead serve --cluster` processes over real
/// sockets: the bridge created on one instance, the transfer redirected to the source's
/// owner, credited by the other process when PostgreSQL's `NOTIFY` wakes it, answered once
/// final. Every wait is for a log line or an answer, bounded by a watchdog.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterTransferProcessTests {
    static let key = "cluster-transfer-process-key"

    @Test func aTransferBetweenTwoProcessesCompletesOverRealSockets() throws {
        let binary = try #require(ReplayToolTests.binary, "build the bulkhead executable first")
        let url = try PostgresTestCluster.start().createDatabase()
        let config = NSTemporaryDirectory() + "bulkhead-transfer-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: config) }
        try FileManager.default.copyItem(atPath: ClusterTestNode.repoRoot + "/Config/segments.json", toPath: config + "/segments.json")
        let digest = SHA256Digest.hex(SHA256Digest.sha256(of: Self.key))
        try #"{"keys":[{"id":"ops","sha256":"\#(digest)","role":"admin","segments":["*"]}]}"#
            .write(toFile: config + "/keys.json", atomically: true, encoding: .utf8)
        let (portA, portB) = (PostgresTestCluster.freePort(), PostgresTestCluster.freePort())
        // Preferred owners among {a, b}: "alts" is b's, "majors" a's (rendezvous hashing).
        #expect(PreferredOwner.of("alts", among: ["a", "b"]) == "b" && PreferredOwner.of("majors", among: ["a", "b"]) == "a")
        func start(_ id: String, _ port: Int) throws -> ServeProcess {
            try ServeProcess(binary, [
                "--config", config, "--port", "\(port)", "--cluster", url, "--instance-id", id, "--advertise", "http://127.0.0.1:\(port)",
            ], environment: ["BULKHEAD_CLUSTER_LEASE_MILLIS": "2000", "BULKHEAD_CLUSTER_RENEW_MILLIS": "500"])
        }
        let a = try start("a", portA)
        defer { a.stop() }
        #expect(bounded(a) { a.waitForLog("ready (cluster)") }, "\(a.lines.joined(separator: "\n"))")
        let b = try start("b", portB)
        defer { b.stop() }
        // b is handed "alts" by a at a's next round, then takes it.
        #expect(bounded(b) { b.waitForLog { $0.contains("segment taken") && $0.contains("segment=alts") } }, "\(b.lines.joined(separator: "\n"))")

        let bridge = #"{"from":"majors","to":"alts","asset":"USDC","windowSeconds":3600,"windowLimit":"1000000","maxTransfer":"250000","elevatedFactor":"0.25","enabled":true}"#
        let put = try ServeProcess.request(port: portB, "PUT", "/v1/bridges", key: Self.key, body: bridge)
        #expect(put.status == 200, "\(put.body)")
        let deposit = try ServeProcess.request(
            port: portA, "POST", "/v1/segments/majors/collateral", key: Self.key, body: #"{"account":"alice","asset":"USDC","amount":"1000"}"#)
        #expect(deposit.status == 200, "\(deposit.body)")

        let transfer = #"{"account":"alice","from":"majors","to":"alts","asset":"USDC","amount":"400"}"#
        let moved = try ServeProcess.request(port: portB, "POST", "/v1/transfers", key: Self.key, body: transfer)
        #expect(moved.status == 307 && moved.header("Location") == "http://127.0.0.1:\(portA)/v1/transfers", "\(moved.body)")
        let done = try ServeProcess.request(port: portA, "POST", "/v1/transfers", key: Self.key, body: transfer)
        #expect(done.status == 200 && done.body.contains(#""state":"completed""#), "\(done.body)")
        #expect(done.body.contains(#""to":{"segment":"alts","account":"alice""#), "\(done.body)")

        let source = try ServeProcess.request(port: portA, "GET", "/v1/segments/majors/accounts/alice", key: Self.key)
        #expect(source.body.contains(#""equity":"600""#), "\(source.body)")
        let destination = try ServeProcess.request(port: portB, "GET", "/v1/segments/alts/accounts/alice", key: Self.key)
        #expect(destination.body.contains(#""equity":"400""#), "\(destination.body)")
    }
}
