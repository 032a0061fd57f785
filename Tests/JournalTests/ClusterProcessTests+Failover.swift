import Foundation
import Testing
@testable import BulkheadService
@testable import Journal

/// The issue's failover test: three `serve --cluster` processes, writes under concurrent load,
/// kill -9 of a segment's owner ten times.
extension ClusterProcessTests {
    /// A longer soak: `BULKHEAD_FAILOVER_KILLS=40 BULKHEAD_FAILOVER_WRITERS=16 swift test --filter threeInstances`.
    static let failoverKills = ProcessInfo.processInfo.environment["BULKHEAD_FAILOVER_KILLS"].flatMap { Int($0) }.map { max(3, $0) } ?? 10
    static let failoverWriters = ProcessInfo.processInfo.environment["BULKHEAD_FAILOVER_WRITERS"].flatMap { Int($0) }.map { max(1, $0) } ?? 8

    /// Eight client threads keep sending durable deposits (one account and one
    /// `Idempotency-Key` per write) to the three instances in turn, following `307` and
    /// retrying `503` and dead connections. Ten times, the owner of a segment (the segments
    /// taken in turn, so the kills fall on each instance in turn) is killed with SIGKILL; another
    /// instance must take the segment (its log line, epoch above the killed owner's) and serve
    /// writes again, the third must redirect to it, then the killed one starts again and is
    /// handed its segments back. At the end every acknowledged write's deposit is in the state
    /// exactly once, no write's more than once, and the journal's idempotency records match the
    /// state. Every wait is for a log line or an answer, each with a deadline.
    @Test func threeInstancesUnderConcurrentWritesLoseNoAcknowledgedWriteOverTenKillsOfAnOwner() throws {
        let trio = try ClusterTrio(configFolder: configFolder())
        defer {
            trio.stopAll()
            trio.removeConfig()
        }
        let ids = ClusterTrio.ids
        let segments = ["alts", "majors", "stable"]
        for id in ids { try trio.start(id) }
        for id in ids { try #require(trio.waitForLog(id, "ready (cluster)"), "\(id) started:\n\(trio.board.text(of: id))") }
        for segment in segments {
            let owner = ClusterTrio.preferredOwner(of: segment)
            try #require(trio.waitUntilServed(segment, by: owner) != nil, "\(owner) serves \(segment):\n\(trio.board.text(of: owner))")
        }

        let load = DurableWriteLoad(ports: ids.map { trio.ports[$0]! }, segments: segments, apiKey: Self.key)
        load.start(writers: Self.failoverWriters)
        let loadStarted = ContinuousClock.now
        var loadStopped = false
        defer { if !loadStopped { _ = load.stop(drainSeconds: 0) } }
        try expectThreeLiveInstances(trio, load, segments: segments, since: 0)

        // Each instance owns one segment when all are live: killing their owners in turn
        // spreads the kills (and the takeovers) over the three.
        #expect(Set(segments.map(ClusterTrio.preferredOwner)) == Set(ids))
        var failovers: [Duration] = []
        for kill in 1...Self.failoverKills {
            let segment = segments[(kill - 1) % segments.count]
            let owner = ClusterTrio.preferredOwner(of: segment)
            let epoch = try #require(trio.waitUntilServed(segment, by: owner), "kill \(kill): \(owner) serves \(segment) again")
            // The owner is under load when it dies.
            try #require(
                load.waitForAcknowledged(load.acknowledged(in: segment) + 10, in: segment, seconds: 30),
                "kill \(kill): writes reach \(segment) on \(owner)")

            let (from, redirectsBefore) = (trio.board.count, load.redirectCount)
            let killedAt = trio.kill9(owner)
            let takeover = try #require(
                trio.waitForTakeover(of: segment, from: from, after: epoch, excluding: owner),
                "kill \(kill): another instance takes \(segment) over from \(owner)")
            failovers.append(takeover.seenAt - killedAt)
            try #require(
                load.waitForAcknowledged(load.acknowledged(in: segment) + 10, in: segment, seconds: 30),
                "kill \(kill): writes reach \(segment) on \(takeover.instance)")
            // The third instance sends requests for the segment to its new, live owner.
            let third = ids.first { $0 != owner && $0 != takeover.instance }!
            try expectRedirect(trio, load, from: third, for: segment, to: takeover.instance, since: redirectsBefore)

            try trio.start(owner)
            try #require(trio.waitForLog(owner, "ready (cluster)"), "kill \(kill): \(owner) restarted:\n\(trio.board.text(of: owner))")
        }
        for segment in segments {
            let owner = ClusterTrio.preferredOwner(of: segment)
            try #require(trio.waitUntilServed(segment, by: owner) != nil, "\(owner) serves \(segment) at the end")
        }
        try expectThreeLiveInstances(trio, load, segments: segments, since: load.redirectCount)
        loadStopped = true
        try #require(load.stop(drainSeconds: 20), "the writers finished")
        let loadSeconds = Double((ContinuousClock.now - loadStarted).components.seconds)

        // The state every write left, read from each segment's owner.
        var collateral: [String: [String: String]] = [:]
        for segment in segments { collateral[segment] = try accounts(of: segment, in: trio) }
        let verdict = load.verdict(collateral: collateral)
        #expect(verdict.lost.isEmpty, "acknowledged writes lost: \(verdict.lost.prefix(10))")
        #expect(verdict.appliedTwice.isEmpty, "writes applied more than once: \(verdict.appliedTwice.prefix(10))")
        #expect(verdict.strangers.isEmpty, "accounts no write made: \(verdict.strangers.prefix(10))")
        #expect(verdict.acknowledged >= 200, "the load kept writing: \(verdict.acknowledged) acknowledged")
        // A write is acknowledged, or told to retry (307, 503) until the load ends: never
        // refused (a 404 for a segment that moved while the request waited was one).
        #expect(load.refusedAnswers.isEmpty, "writes refused: \(load.refusedAnswers)")

        // The journal agrees: one idempotency record per write whose deposit is in the state.
        let connection = try PostgresConnection(url: trio.url)
        defer { connection.close() }
        let rows = try connection.query("load_keys", "SELECT key FROM idempotency WHERE key LIKE $1", [.text("ops/\(load.run)-%")])
        let journaled = Set((0..<rows.count).map { String(rows.text($0, 0).dropFirst("ops/".count)) })
        let applied = Set(load.writes.filter { collateral[$0.segment]?[$0.account] != nil }.map(\.key))
        #expect(journaled == applied, "idempotency records without a deposit: \(journaled.subtracting(applied).prefix(5)), deposits without one: \(applied.subtracting(journaled).prefix(5))")

        // Every 307 a writer followed named an instance and pointed at its advertised URL.
        let redirects = load.redirectsFollowed
        let misdirected = redirects.filter { !ids.contains($0.owner) || !$0.location.hasPrefix(trio.advertised($0.owner) + "/v1/segments/") }
        #expect(misdirected.isEmpty, "redirects not to the owner named: \(misdirected.prefix(5))")

        #expect(failovers.count == Self.failoverKills)
        let slowest = failovers.max() ?? .zero
        let retries = load.retriesByStatus
        print("""
            cluster of 3, kill -9 x\(failovers.count) under load (\(Self.failoverWriters) writers, \(Int(Double(verdict.acknowledged) / max(1, loadSeconds))) acknowledged/s \
            over \(Int(loadSeconds)) s): \(verdict.acknowledged) acknowledged writes, \(verdict.lost.count) lost, \
            \(verdict.appliedTwice.count) applied twice; \(verdict.notAcknowledged) not acknowledged (last answers \(verdict.notAcknowledgedStatuses.sorted { $0.key < $1.key }), \(verdict.notAcknowledgedApplied) of them applied, once); \
            kill to takeover max \(slowest), mean \(failovers.reduce(.zero, +) / max(1, failovers.count)) (lease 2 s); \
            \(redirects.count) redirects followed, \(retries[503] ?? 0) retries after 503, \(retries[0] ?? 0) after a dead connection, \
            \(load.replayedAnswers) acknowledged by a stored answer
            """)
        for refusal in load.refusedAnswers { print("  refused: \(refusal)") }
    }

    /// `GET /v1/cluster` on each instance lists the three, live, each serving the segments it
    /// is the preferred owner of. Asked once the instance redirected a writer to the owner of
    /// every segment it does not serve (from the `since`-th redirect on): its owner map, which
    /// the answer is made from, shows them (it may lag one notification or round).
    private func expectThreeLiveInstances(_ trio: ClusterTrio, _ load: DurableWriteLoad, segments: [String], since: Int) throws {
        var expected: [String] = []
        for id in ClusterTrio.ids {
            let served = segments.filter { ClusterTrio.preferredOwner(of: $0) == id }.map { "\"\($0)\"" }.joined(separator: ",")
            expected.append(#""id":"\#(id)","url":"\#(trio.advertised(id))","live":true,"segments":[\#(served)]"#)
        }
        for asked in ClusterTrio.ids {
            for segment in segments where ClusterTrio.preferredOwner(of: segment) != asked {
                try #require(
                    load.waitForRedirect(from: since, askedPort: trio.ports[asked]!, segment: segment, owner: ClusterTrio.preferredOwner(of: segment), seconds: 30),
                    "\(asked) redirects \(segment) to its owner")
            }
            let answer = try ServeProcess.request(port: trio.ports[asked]!, "GET", "/v1/cluster", key: Self.key, timeoutSeconds: 10)
            #expect(answer.status == 200 && expected.allSatisfy { answer.body.contains($0) }, "\(asked): \(answer.body)")
            #expect(answer.body.components(separatedBy: #""live":true"#).count == 4, "three live instances: \(answer.body)")
        }
    }

    /// A non-owner answers `307` to the live owner (`Location` its advertised URL and the
    /// request target, `Bulkhead-Owner` its id). Asked once it redirected a writer there
    /// (from the `since`-th redirect on), so its map has caught up with the move.
    private func expectRedirect(_ trio: ClusterTrio, _ load: DurableWriteLoad, from asked: String, for segment: String, to owner: String, since: Int) throws {
        try #require(
            load.waitForRedirect(from: since, askedPort: trio.ports[asked]!, segment: segment, owner: owner, seconds: 30),
            "\(asked) redirects writes for \(segment) to \(owner)")
        let target = "/v1/segments/\(segment)/accounts?limit=1"
        let moved = try ServeProcess.request(port: trio.ports[asked]!, "GET", target, key: Self.key, timeoutSeconds: 10)
        #expect(moved.status == 307, "\(asked) redirects \(segment): \(moved.status) \(moved.body)")
        #expect(moved.header("Bulkhead-Owner") == owner)
        #expect(moved.header("Location") == trio.advertised(owner) + target)
    }

    /// Account → collateral value of every account of `segment`, page by page from its owner.
    private func accounts(of segment: String, in trio: ClusterTrio) throws -> [String: String] {
        let port = trio.ports[ClusterTrio.preferredOwner(of: segment)]!
        var collateral: [String: String] = [:]
        var after: String?
        repeat {
            let target = "/v1/segments/\(segment)/accounts?limit=1000" + (after.map { "&after=\($0)" } ?? "")
            let page = try ServeProcess.request(port: port, "GET", target, key: Self.key, timeoutSeconds: 30)
            try #require(page.status == 200, "\(segment) accounts: \(page.status) \(page.body.prefix(300))")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(page.body.utf8)) as? [String: Any])
            for account in json["accounts"] as? [[String: Any]] ?? [] {
                guard let id = account["account"] as? String else { continue }
                #expect(collateral[id] == nil, "\(segment)/\(id) listed once")
                collateral[id] = account["collateralValue"] as? String ?? "?"
            }
            after = json["next"] as? String
        } while after != nil
        return collateral
    }
}
