@testable import BulkheadService
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
        let data = service.dataDirectory
        await service.stop()

        let restarted = try await TestService.start(dataDirectory: data, clock: clock, tweak: tweak)
        defer { Task { await restarted.stop() } }
        for id in ["majors", "alts", "stable", "late"] {
            let after = try await restarted.call("GET", "/v1/segments/\(id)", key: TestKeys.reader)
            #expect(after.text == before[id], "segment \(id)")
            #expect(await restarted.app.registry.engine(id)!.stateHash() == hashes[id])
        }
        let account = try await restarted.call("GET", "/v1/segments/late/accounts/r3", key: TestKeys.reader)
        #expect(account.json["collateralValue"] as? String == "10")
    }
}
