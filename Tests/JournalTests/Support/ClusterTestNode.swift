import Foundation
import HTTPWire
import Logging
import RiskEngine
import Synchronization
@testable import BulkheadService
@testable import Journal

/// One in-process instance of a cluster on a test database: the real app (every request
/// stage, the PostgreSQL journal, leases) without sockets or the lease loop. The test runs
/// ownership rounds itself and moves `leaseClock`, the monotonic clock the instance judges
/// its own leases by, so nothing waits for time to pass.
final class ClusterTestNode: Sendable {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path

    let id: String
    let app: BulkheadApp
    let membership: ClusterMembership
    let leaseClock = LeaseClock()

    init(
        _ id: String, url: String, leaseMilliseconds: Int = 10_000, renewMilliseconds: Int = 3_000,
        transferWaitMilliseconds: Int = 60_000
    ) throws {
        self.id = id
        var settings = ServiceSettings()
        settings.cluster.url = url
        settings.cluster.instanceID = id
        settings.cluster.advertise = "http://\(id).test:8080"
        settings.cluster.leaseMilliseconds = leaseMilliseconds
        settings.cluster.renewMilliseconds = renewMilliseconds
        settings.cluster.transferWaitMilliseconds = transferWaitMilliseconds
        try settings.validate()
        var logger = Logger(label: "cluster-\(id)")
        logger.logLevel = .critical
        membership = try ClusterMembership(settings: settings.cluster, maxPendingEntries: 4_096)
        let clock = leaseClock
        app = BulkheadApp(
            settings: settings, specs: try SegmentCatalog.load(path: Self.repoRoot + "/Config/segments.json"),
            authorizer: AllowEveryKey(), journal: membership.journal, clock: FixedServiceClock(), logger: logger,
            cluster: membership, clusterClock: { clock.nanoseconds })
    }

    deinit { membership.close() }

    var ownership: SegmentOwnership { app.ownership! }
    var served: [String] { ownership.served }

    func round() async -> Bool { await app.ownershipRound() }

    /// Moves this instance's own clock (not the database's).
    func advanceLeaseClock(milliseconds: Int) {
        leaseClock.advance(milliseconds: milliseconds)
    }

    func send(
        _ method: HTTPMethod, _ target: String, body: String? = nil, headers: [(name: String, value: String)] = []
    ) async -> ClusterTestResponse {
        var fields: [(name: String, value: String)] = [("Host", "test"), ("Authorization", "Bearer any")] + headers
        if body != nil { fields.append(("Content-Type", "application/json")) }
        let head = HTTPRequestHead(
            method: method, target: target, version: .http11, headers: HTTPHeaders(fields), keepAlive: true, expectsContinue: false)
        let response = await app.respond(to: HTTPRequest(head: head, body: Array((body ?? "").utf8)))
        var text = ""
        if case .bytes(let bytes) = response.body { text = String(decoding: bytes, as: UTF8.self) }
        return ClusterTestResponse(status: response.status, headers: response.headers.map { ($0.name, $0.value) }, body: text)
    }
}

struct ClusterTestResponse {
    var status: Int
    var headers: [(String, String)]
    var body: String

    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// The monotonic clock an instance judges its own leases by, moved by the test.
final class LeaseClock: Sendable {
    private let value = Mutex<UInt64>(1_000_000_000)

    var nanoseconds: UInt64 { value.withLock { $0 } }

    func advance(milliseconds: Int) {
        value.withLock { $0 += UInt64(milliseconds) * 1_000_000 }
    }
}

/// Authorization is not what these tests exercise: every request is an admin's.
struct AllowEveryKey: RequestAuthorizing {
    func authorize(authorization: String?, permission: Permission, segments: [String]) -> AuthDecision {
        .allowed(Principal(keyID: "test", role: .admin, segments: nil))
    }
}

/// Command arrival times are fixed: decisions never depend on the wall clock.
struct FixedServiceClock: ServiceClock {
    func now() -> Timestamp { Timestamp(seconds: 1_795_539_600) }
}
