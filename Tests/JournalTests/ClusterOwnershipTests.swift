import Foundation
import Testing
@testable import BulkheadService
@testable import Journal

/// Two in-process instances sharing one throw-away PostgreSQL database (DESIGN.md "Past one
/// machine", API.md "Past one machine"): the segments split between them, a request for a
/// segment served elsewhere is redirected, an instance that stops renewing is taken over
/// with its state rebuilt from the journal, and its late writes are refused. Lease expiry is
/// driven by the test (on the database and on the instance's own clock): no test waits.
@Suite(.enabled(if: PostgresTestCluster.isAvailable, PostgresTestCluster.skipReason), .serialized)
struct ClusterOwnershipTests {
    static let segments = ["alts", "majors", "stable"]
    static let deposit = #"{"account":"alice","asset":"USDC","amount":"1000"}"#

    /// A stopped (or paused) instance: its leases and its announcement run out on the
    /// database's clock, as if `leaseMillis` had passed without a renewal.
    private func expire(_ instance: String, url: String) throws {
        let connection = try PostgresConnection(url: url)
        defer { connection.close() }
        try connection.execute("UPDATE segment_owner SET lease_until = clock_timestamp() - interval '1 second' WHERE owner = '\(instance)'")
        try connection.execute("UPDATE instances SET alive_until = clock_timestamp() - interval '1 second' WHERE id = '\(instance)'")
    }

    /// Both instances started and two rounds each: the first instance takes everything, then
    /// hands the second its share.
    private func startPair(url: String) async throws -> (ClusterTestNode, ClusterTestNode) {
        let a = try ClusterTestNode("a", url: url), b = try ClusterTestNode("b", url: url)
        try await a.app.startInProcess()
        try await b.app.startInProcess()
        for node in [a, b, a, b, a] { #expect(await node.round()) }
        return (a, b)
    }

    @Test func theSegmentsSplitByPreferredOwnerAndEachIsServedOnce() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let expected = Dictionary(grouping: Self.segments) { PreferredOwner.of($0, among: ["a", "b"])! }
        #expect(a.served == (expected["a"] ?? []).sorted())
        #expect(b.served == (expected["b"] ?? []).sorted())
        #expect((a.served + b.served).sorted() == Self.segments)
        #expect(!a.served.isEmpty && !b.served.isEmpty, "the three configured segments split over both instances")

        // Readiness names what each instance serves.
        let ready = await a.send(.get, "/readyz")
        #expect(ready.status == 200)
        #expect(ready.body.contains(#""segments":["# + a.served.map { "\"\($0)\"" }.joined(separator: ",") + "]"), "\(ready.body)")

        // GET /v1/cluster: both instances, their segments, lease expiry and fencing tokens.
        let cluster = await b.send(.get, "/v1/cluster")
        #expect(cluster.status == 200, "\(cluster.body)")
        let json = try JSONSerialization.jsonObject(with: Data(cluster.body.utf8)) as? [String: Any]
        #expect(json?["instance"] as? String == "b")
        #expect(json?["mode"] as? String == "cluster")
        let instances = json?["instances"] as? [[String: Any]] ?? []
        #expect(instances.map { $0["id"] as? String } == ["a", "b"])
        #expect(instances.map { $0["url"] as? String } == ["http://a.test:8080", "http://b.test:8080"])
        #expect(instances.map { $0["segments"] as? [String] ?? [] } == [a.served, b.served])
        for instance in instances {
            #expect((instance["leaseExpiresAt"] as? String)?.hasSuffix("Z") == true)
            for lease in instance["leases"] as? [[String: Any]] ?? [] {
                #expect((lease["epoch"] as? Int ?? 0) >= 1)
            }
        }
        #expect(json?["unowned"] as? [String] == [])
    }

    @Test func aRequestForASegmentServedElsewhereIsRedirectedToItsOwner() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let onB = try #require(b.served.first)
        let onA = try #require(a.served.first)

        let moved = await a.send(.post, "/v1/segments/\(onB)/collateral?x=1", body: Self.deposit)
        #expect(moved.status == 307, "\(moved.body)")
        #expect(moved.header("Location") == "http://b.test:8080/v1/segments/\(onB)/collateral?x=1")
        #expect(moved.header("Bulkhead-Owner") == "b")
        #expect(moved.body.contains(#""code":"segment_moved""#))
        let read = await a.send(.get, "/v1/segments/\(onB)")
        #expect(read.status == 307 && read.header("Bulkhead-Owner") == "b")

        // Served here: answered here; unknown everywhere: 404.
        #expect(await a.send(.post, "/v1/segments/\(onA)/collateral", body: Self.deposit).status == 200)
        #expect(await b.send(.post, "/v1/segments/\(onB)/collateral", body: Self.deposit).status == 200)
        #expect(await a.send(.get, "/v1/segments/nowhere").status == 404)
    }

    @Test func anInstanceThatStopsRenewingIsTakenOverAndItsLateWriteIsRefused() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let segment = try #require(a.served.first)
        #expect(await a.send(.post, "/v1/segments/\(segment)/collateral", body: Self.deposit).status == 200)
        #expect(await a.send(.post, "/v1/segments/\(segment)/collateral", body: Self.deposit).status == 200)

        // "a" stops renewing (paused); its leases run out on the database's clock.
        try expire("a", url: url)
        #expect(await b.round())
        #expect(b.served == Self.segments, "b took every segment once a's leases ran out")
        // Loaded from the journal: a's two acknowledged deposits are there, once each.
        let account = await b.send(.get, "/v1/segments/\(segment)/accounts/alice")
        #expect(account.status == 200)
        #expect(account.body.contains(#""collateralValue":"2000""#), "\(account.body)")

        // "a" wakes up still believing it owns the segment: the database refuses its write,
        // and it stops serving the segment at once.
        #expect(a.served.contains(segment))
        let late = await a.send(.post, "/v1/segments/\(segment)/collateral", body: Self.deposit)
        #expect(late.status == 503, "\(late.body)")
        #expect(late.body.contains(#""code":"segment_unavailable""#))
        #expect(late.header("Retry-After") != nil)
        #expect(!a.served.contains(segment))
        #expect(a.ownership.counters.current.fencingEvents >= 1)
        #expect(a.app.state.current == .ready, "a fenced write is no journal failure")

        // Nothing of the late write reached the journal: b still sees two deposits.
        let after = await b.send(.get, "/v1/segments/\(segment)/accounts/alice")
        #expect(after.body.contains(#""collateralValue":"2000""#), "\(after.body)")
        // Its next round learns the new owner; requests then go there.
        #expect(await a.round())
        let redirected = await a.send(.get, "/v1/segments/\(segment)")
        #expect(redirected.status == 307 && redirected.header("Bulkhead-Owner") == "b", "\(redirected.body)")
    }

    /// The `majors` spec of the repository's config under another id.
    private func spec(id: String) throws -> String {
        let data = try Data(contentsOf: URL(fileURLWithPath: ClusterTestNode.repoRoot + "/Config/segments.json"))
        let document = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        var majors = try #require((document?["segments"] as? [[String: Any]])?.first { $0["id"] as? String == "majors" })
        majors["id"] = id
        return String(decoding: try JSONSerialization.data(withJSONObject: majors), as: UTF8.self)
    }

    @Test func aSegmentCanBeCreatedFromAnyInstanceAndOnlyOnce() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let created = await b.send(.post, "/v1/segments", body: try spec(id: "fresh"))
        #expect(created.status == 201, "\(created.body)")
        #expect(b.served.contains("fresh"))
        // The lease is b's now: a second creation anywhere is a conflict, not a second journal.
        let again = await a.send(.post, "/v1/segments", body: try spec(id: "fresh"))
        #expect(again.status == 409 && again.body.contains(#""code":"segment_exists""#), "\(again.body)")
        let twice = await b.send(.post, "/v1/segments", body: try spec(id: "fresh"))
        #expect(twice.status == 409)
        // An invalid spec takes no lease.
        var invalid = try spec(id: "broken")
        invalid = invalid.replacingOccurrences(of: #""maintenanceMarginFraction":"0.03""#, with: #""maintenanceMarginFraction":"0.5""#)
        #expect(await a.send(.post, "/v1/segments", body: invalid).status == 422)
        #expect(try a.membership.leases.leases().map(\.segment).contains("broken") == false)

        // After the rounds, it is served by its preferred owner and known everywhere.
        for node in [a, b, a, b, a] { #expect(await node.round()) }
        let owner = try #require(PreferredOwner.of("fresh", among: ["a", "b"]))
        let (home, other) = owner == "a" ? (a, b) : (b, a)
        #expect(home.served.contains("fresh") && !other.served.contains("fresh"))
        #expect(await home.send(.get, "/v1/segments/fresh").status == 200)
        let moved = await other.send(.get, "/v1/segments/fresh")
        #expect(moved.status == 307 && moved.header("Bulkhead-Owner") == owner)
    }

    @Test func aSegmentWithNoLiveOwnerAnswers503WithRetryAfterUntilItsOwnerRenews() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let (a, b) = try await startPair(url: url)
        let onA = try #require(a.served.first)
        // a's leases run out while a itself is still announced (a long pause between two
        // renewals): a stays the preferred owner, so b must not take its segments.
        let connection = try PostgresConnection(url: url)
        try connection.execute("UPDATE segment_owner SET lease_until = clock_timestamp() - interval '1 second' WHERE owner = 'a'")
        connection.close()
        #expect(await b.round())
        #expect(!b.served.contains(onA))
        let unavailable = await b.send(.get, "/v1/segments/\(onA)")
        #expect(unavailable.status == 503, "\(unavailable.body)")
        #expect(unavailable.body.contains(#""code":"segment_unavailable""#))
        #expect(unavailable.header("Retry-After") == "3", "one renew interval, rounded up")
        let cluster = await b.send(.get, "/v1/cluster")
        #expect(cluster.body.contains(#""unowned":["# + "\"\(onA)\""), "\(cluster.body)")

        // a renews (nobody took the segments, so its epochs still stand); b then redirects.
        #expect(await a.round())
        #expect(a.served.contains(onA))
        #expect(await b.round())
        let moved = await b.send(.get, "/v1/segments/\(onA)")
        #expect(moved.status == 307 && moved.header("Bulkhead-Owner") == "a", "\(moved.body)")
    }

    @Test func losingTheDatabaseDegradesStopsServingInTimeAndRecovers() async throws {
        let url = try PostgresTestCluster.start().createDatabase()
        let a = try ClusterTestNode("a", url: url, leaseMilliseconds: 10_000, renewMilliseconds: 3_000)
        try await a.app.startInProcess()
        #expect(a.served == Self.segments)
        #expect(await a.send(.post, "/v1/segments/majors/collateral", body: Self.deposit).status == 200)

        try terminateConnections(url)
        // The renewal fails: degraded, writes refused with journal_unavailable, reads served.
        #expect(await a.round() == false)
        let ready = await a.send(.get, "/readyz")
        #expect(ready.status == 503 && ready.body.contains(#""status":"degraded""#), "\(ready.body)")
        let write = await a.send(.post, "/v1/segments/majors/collateral", body: Self.deposit)
        #expect(write.status == 503 && write.body.contains(#""code":"journal_unavailable""#), "\(write.body)")
        #expect(await a.send(.get, "/v1/segments/majors/accounts/alice").status == 200)
        #expect(a.served == Self.segments, "the leases are still good for a while")

        // The database answers again: the journal reconnects, segments are rebuilt, ready.
        #expect(await a.round())
        #expect(a.app.state.current == .ready)
        #expect(a.served == Self.segments)

        // Without a renewal for lease − renew interval, it stops serving: a new owner may come.
        a.advanceLeaseClock(milliseconds: 7_000)
        try terminateConnections(url)
        #expect(await a.round() == false)
        #expect(a.served.isEmpty)
        let dropped = await a.send(.get, "/v1/segments/majors/accounts/alice")
        #expect(dropped.status == 503, "\(dropped.body)")

        // Back again: leases retaken, segments rebuilt, ready, writes durable, nothing lost.
        #expect(await a.round())
        #expect(a.served == Self.segments)
        #expect(a.app.state.current == .ready)
        #expect(await a.send(.post, "/v1/segments/majors/collateral", body: Self.deposit).status == 200)
        let account = await a.send(.get, "/v1/segments/majors/accounts/alice")
        #expect(account.body.contains(#""collateralValue":"2000""#), "\(account.body)")
    }

    /// Cuts every other connection to the test's database (as a server restart would) and
    /// waits until the server has ended them, so the instance's next call finds them gone.
    private func terminateConnections(_ url: String) throws {
        let admin = try PostgresConnection(url: url)
        defer { admin.close() }
        try admin.execute("""
            SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid()
            """)
    }
}
