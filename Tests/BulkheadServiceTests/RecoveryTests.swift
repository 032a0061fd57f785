@testable import BulkheadService
import Journal
import Testing

@Suite(.serialized) struct RecoveryTests {
    /// State after a restart equals the state before: same views, same state hashes.
    @Test(arguments: [false, true]) func restartRebuildsEverySegmentFromTheJournal(snapshots: Bool) async throws {
        let clock = ManualClock()
        let tweak: (inout ServiceSettings) -> Void = { settings in
            if snapshots {
                settings.snapshotInterval = 2
                settings.snapshotPruneJournal = true
            }
        }
        let service = try await TestService.start(clock: clock, tweak: tweak)
        _ = try await service.deposit("majors", "r1", "USDC", "5000")
        _ = try await service.price("majors", [("BTC-USD", "64000"), ("ETH-USD", "3000")])
        _ = try await service.fill("majors", "r1", "BTC-USD", size: "0.2", price: "64000", fee: "1")
        _ = try await service.deposit("alts", "r2", "USDC", "800")
        _ = try await service.price("alts", [("SOL-USD", "150")])
        _ = try await service.fill("alts", "r2", "SOL-USD", size: "-10", price: "150")
        let created = try await service.call(
            "POST", "/v1/segments", key: TestKeys.admin, body: String(decoding: try ErrorCodeTests.specJSON(id: "late"), as: UTF8.self))
        #expect(created.status == 201)
        _ = try await service.deposit("late", "r3", "USDC", "10")
        var before: [String: String] = [:]
        var hashes: [String: UInt64] = [:]
        for id in ["majors", "alts", "stable", "late"] {
            before[id] = try await service.call("GET", "/v1/segments/\(id)", key: TestKeys.reader).text
            hashes[id] = await service.app.registry.engine(id)!.stateHash()
        }
        let data = service.dataFolder
        await service.stop()

        let restarted = try await TestService.start(dataFolder: data, clock: clock, tweak: tweak)
        defer { Task { await restarted.stop() } }
        for id in ["majors", "alts", "stable", "late"] {
            let after = try await restarted.call("GET", "/v1/segments/\(id)", key: TestKeys.reader)
            #expect(after.text == before[id], "segment \(id)")
            #expect(await restarted.app.registry.engine(id)!.stateHash() == hashes[id])
        }
        let account = try await restarted.call("GET", "/v1/segments/late/accounts/r3", key: TestKeys.reader)
        #expect(account.json["collateralValue"] as? String == "10")
    }

    /// Liquidation history survives a restart that starts from a snapshot whose journal
    /// entries were pruned: the history can only come from the snapshot itself.
    @Test func liquidationHistoryComesBackFromASnapshot() async throws {
        let clock = ManualClock()
        // No automatic snapshots: the test writes the one it restarts from.
        let tweak: (inout ServiceSettings) -> Void = { settings in
            settings.snapshotInterval = 0
            settings.snapshotEverySeconds = 0
        }
        let service = try await TestService.start(clock: clock, tweak: tweak)
        #expect(try await service.deposit("majors", "alice", "USDC", "10000").status == 200)
        #expect(try await service.price("majors", [("BTC-USD", "64000")]).status == 200)
        #expect(try await service.fill("majors", "alice", "BTC-USD", size: "0.5", price: "64000").json["decision"] as? String == "accepted")
        // Two steps: one update may move the price at most the segment's maxJump.
        clock.advance(seconds: 1)
        #expect(try await service.price("majors", [("BTC-USD", "49000")]).status == 200)
        clock.advance(seconds: 1)
        let crash = try await service.price("majors", [("BTC-USD", "44000")])
        let decisions = crash.json["liquidations"] as? [[String: Any]] ?? []
        #expect(!decisions.isEmpty, "\(crash.text)")
        let history = try await service.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader)
        let second = try await service.call("GET", "/v1/segments/majors/liquidations?after=majors:1", key: TestKeys.reader)
        #expect((history.json["liquidations"] as? [Any])?.count == decisions.count)
        let hash = await service.app.registry.engine("majors")!.stateHash()

        // Snapshot majors as the service would (rebuilt from its journal), then prune every
        // entry the snapshot covers.
        let rebuilt = try JournalRecovery(journal: service.journal).recoverAll(configured: []).segments
        let majors = try #require(rebuilt.first { $0.segment.spec.id == "majors" })
        #expect(majors.segment.stateHash == hash)
        try await service.journal.saveSnapshot(SnapshotRecord(
            segment: "majors", sequence: majors.lastSequence, stateHash: majors.segment.stateHash, bytes: majors.segment.snapshot()))
        try await service.journal.prune(segment: "majors", through: majors.lastSequence)
        let data = service.dataFolder
        await service.stop()

        let restarted = try await TestService.start(dataFolder: data, clock: clock, tweak: tweak)
        defer { Task { await restarted.stop() } }
        #expect(try restarted.journal.entries(segment: "majors", after: 0, limit: 10).isEmpty, "recovered from the snapshot alone")
        #expect(await restarted.app.registry.engine("majors")!.stateHash() == hash)
        let after = try await restarted.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader)
        #expect(after.status == 200)
        #expect(after.text == history.text)
        let afterSecond = try await restarted.call("GET", "/v1/segments/majors/liquidations?after=majors:1", key: TestKeys.reader)
        #expect(afterSecond.text == second.text)
    }
}
