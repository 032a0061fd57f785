import Foundation
import Testing
@testable import BulkheadService
#if canImport(Glibc)
import Glibc
#endif

/// Three `serve --cluster` processes (instances p, q, r) on one fresh database, each on a
/// fixed loopback port, 2 s leases renewed every 0.5 s; every log is followed on one
/// `LogBoard`. A killed instance starts again under the same id and port (a new run).
final class ClusterTrio {
    /// Ids under which the repository's three segments have three different preferred
    /// owners (alts p, majors q, stable r), so each instance owns one when all are live.
    static let ids = ["p", "q", "r"]
    static let leaseEnvironment = ["BULKHEAD_CLUSTER_LEASE_MILLIS": "2000", "BULKHEAD_CLUSTER_RENEW_MILLIS": "500"]

    let binary: URL
    let url: String
    let config: String
    let ports: [String: Int]
    let board = LogBoard()
    private var processes: [String: ServeProcess] = [:]
    private(set) var runs: [String: Int] = [:]

    init(configFolder: String) throws {
        config = configFolder
        binary = try #require(ReplayToolTests.binary, "build the bulkhead executable first")
        url = try PostgresTestCluster.start().createDatabase()
        var ports: [String: Int] = [:]
        for id in Self.ids {
            var port = PostgresTestCluster.freePort()
            while ports.values.contains(port) { port = PostgresTestCluster.freePort() }
            ports[id] = port
        }
        self.ports = ports
    }

    func advertised(_ id: String) -> String { "http://127.0.0.1:\(ports[id]!)" }

    /// The instance whose advertised URL is on `port`.
    func instance(onPort port: Int) -> String? { ports.first { $0.value == port }?.key }

    /// Starts `id` (again); its log is followed from its first line.
    func start(_ id: String) throws {
        let process = try ServeProcess(binary, [
            "--config", config, "--port", "\(ports[id]!)", "--cluster", url, "--instance-id", id, "--advertise", advertised(id),
        ], environment: Self.leaseEnvironment)
        let run = (runs[id] ?? 0) + 1
        runs[id] = run
        processes[id] = process
        board.follow(process, instance: id, run: run)
    }

    /// kill -9; the moment the signal was sent.
    @discardableResult
    func kill9(_ id: String) -> ContinuousClock.Instant {
        guard let process = processes.removeValue(forKey: id) else { return .now }
        kill(process.process.processIdentifier, SIGKILL)
        let killed = ContinuousClock.now
        process.process.waitUntilExit()
        return killed
    }

    /// Ends every process still running (SIGKILL: the database is thrown away anyway, and a
    /// graceful stop would hand segments around for nothing).
    func stopAll() {
        for id in processes.keys.sorted() { kill9(id) }
    }

    func removeConfig() { try? FileManager.default.removeItem(atPath: config) }

    // MARK: Events

    /// The current run of `id` logged `text` (waits up to `seconds`).
    func waitForLog(_ id: String, _ text: String, seconds: Double = 60) -> Bool {
        let run = runs[id]
        return board.first(within: seconds) { $0.instance == id && $0.run == run && $0.text.contains(text) } != nil
    }

    /// The epoch under which the current run of `id` took `segment` (waits up to `seconds`).
    func waitUntilServed(_ segment: String, by id: String, seconds: Double = 60) -> UInt64? {
        let run = runs[id]
        return board.first(within: seconds) { $0.instance == id && $0.run == run && Self.takes(segment, $0.text) }
            .flatMap { Self.epoch(in: $0.text) }
    }

    /// The first instance other than `id` to take `segment` under an epoch after `epoch`,
    /// looking at lines read from `index` on.
    func waitForTakeover(of segment: String, from index: Int, after epoch: UInt64, excluding id: String, seconds: Double = 60) -> LogBoard.Line? {
        board.first(from: index, within: seconds) { line in
            line.instance != id && Self.takes(segment, line.text) && (Self.epoch(in: line.text) ?? 0) > epoch
        }
    }

    static func takes(_ segment: String, _ text: String) -> Bool {
        // swift-log's stream handler: "… : epoch=2 … segment=alts sequence=9 [BulkheadService] segment taken"
        text.hasSuffix("segment taken") && text.contains(" segment=\(segment) ")
    }

    /// `epoch=N` in a log line's metadata.
    static func epoch(in text: String) -> UInt64? {
        guard let range = text.range(of: "epoch=") else { return nil }
        return UInt64(text[range.upperBound...].prefix { $0.isNumber })
    }

    /// The preferred owner of `segment` with every instance live (where it settles).
    static func preferredOwner(of segment: String) -> String {
        PreferredOwner.of(segment, among: ids)!
    }
}
