import Foundation
import Testing
@testable import BulkheadService
@testable import Journal

/// A request is routed when admitted, but a keyed write then awaits the journal (the
/// idempotency stage) before its handler looks the segment up; a hand-off or takeover in
/// between leaves it without an engine here. The failover test under load saw such writes
/// answered 404 `unknown_segment` for a segment that exists; the handler's lookup now tells
/// the client to retry (and the retry is redirected).
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterMovedSegmentTests {
    @Test func aSegmentThatMovedAwayBeforeItsHandlerRanIsUnavailableNotUnknown() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try ClusterTestNode("a", url: url), b = try ClusterTestNode("b", url: url)
        try await a.app.startInProcess()
        try await b.app.startInProcess()
        // a takes everything first, then hands b its share.
        for node in [a, b, a, b, a] { #expect(await node.round()) }
        let moved = try #require(b.served.first, "b serves a segment")
        #expect(a.app.registry.engine(moved) == nil)

        // What a's handler finds for a request admitted before the move.
        let unavailable = #expect(throws: APIError.self) { try a.app.responder.engine(moved) }
        #expect(unavailable?.status == 503 && unavailable?.code == "segment_unavailable", "\(String(describing: unavailable))")
        #expect(unavailable?.headers.contains { $0.name == "Retry-After" } == true)
        // A segment no instance knows is still 404.
        #expect(throws: APIError.unknownSegment("nowhere")) { try a.app.responder.engine("nowhere") }
        // Routing is unchanged: a request arriving after the move is redirected.
        #expect(await a.send(.get, "/v1/segments/\(moved)/accounts?limit=1").status == 307)
    }
}
