import Foundation
import Synchronization
import Testing
@testable import BulkheadService
@testable import Journal

/// The owner map follows lease changes through `LISTEN/NOTIFY`: an instance that gives a
/// lease back or takes one announces it, and every other instance re-reads the map at once
/// (no round needed) — redirects point at the new owner without waiting a renew interval.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterNotifyTests {
    /// Runs `change`, then waits until `node` has re-read its owner map (because of it) and
    /// `holds` is true: refreshes caused by earlier changes may still arrive first.
    private func afterRefresh(
        of node: ClusterTestNode, until holds: @escaping () -> Bool, _ change: () async throws -> Void
    ) async throws {
        let refreshed = AsyncStream<Void>.makeStream()
        node.ownership.mapRefreshed.withLock { $0 = { refreshed.continuation.yield() } }
        defer { node.ownership.mapRefreshed.withLock { $0 = nil } }
        try await change()
        for await _ in refreshed.stream where holds() { return }
    }

    @Test(.timeLimit(.minutes(1)))
    func anotherInstancesLeaseChangesReachTheOwnerMapWithoutARound() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try ClusterTestNode("a", url: url), b = try ClusterTestNode("b", url: url)
        try await a.app.startInProcess()
        try await b.app.startInProcess()
        for node in [a, b, a, b, a] { #expect(await node.round()) }
        let onB = try #require(b.served.first)
        #expect(a.ownership.route(onB) == .owner(id: "b", url: "http://b.test:8080"))

        // b gives its leases back (a graceful stop): a's map says "no live owner" before a
        // runs any round.
        try await afterRefresh(of: a, until: { a.ownership.route(onB) == .unavailable }) { b.ownership.releaseAll() }
        #expect(a.ownership.route(onB) == .unavailable)

        // b's announcement runs out too; a takes the segment in its round, and b's map names
        // a before b runs any round.
        let connection = try PostgresConnection(url: url)
        try connection.execute("UPDATE instances SET alive_until = clock_timestamp() - interval '1 second' WHERE id = 'b'")
        connection.close()
        let owner = OwnerMap.Route.owner(id: "a", url: "http://a.test:8080")
        try await afterRefresh(of: b, until: { b.ownership.route(onB) == owner }) { #expect(await a.round()) }
        #expect(a.served.contains(onB))
        let moved = await b.send(.get, "/v1/segments/\(onB)")
        #expect(moved.status == 307 && moved.header("Bulkhead-Owner") == "a", "\(moved.body)")
    }
}
