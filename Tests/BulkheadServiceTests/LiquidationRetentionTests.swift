@testable import BulkheadService
import Foundation
import Testing

/// `liquidations.retention` (#17): the history keeps that many decisions per segment, and a
/// page whose `after` is older than the oldest kept says so instead of skipping silently.
@Suite(.serialized) struct LiquidationRetentionTests {
    /// Three accounts liquidated by one crash: at least three decisions.
    static func crash(_ service: TestService) async throws -> Int {
        for account in ["alice", "bob", "carol"] {
            #expect(try await service.deposit("majors", account, "USDC", "10000").status == 200)
        }
        #expect(try await service.price("majors", [("BTC-USD", "64000")]).status == 200)
        for account in ["alice", "bob", "carol"] {
            #expect(try await service.fill("majors", account, "BTC-USD", size: "0.5", price: "64000").json["decision"] as? String == "accepted")
        }
        service.clock.advance(seconds: 1)
        #expect(try await service.price("majors", [("BTC-USD", "49000")]).status == 200)
        service.clock.advance(seconds: 1)
        let crash = try await service.price("majors", [("BTC-USD", "44000")])
        return (crash.json["liquidations"] as? [Any])?.count ?? 0
    }

    @Test func aCursorOlderThanTheRetainedHistoryIsReported() async throws {
        let tweak: (inout ServiceSettings) -> Void = { $0.liquidationRetention = 2 }
        let service = try await TestService.start(tweak: tweak)
        let total = try await Self.crash(service)
        #expect(total >= 3)
        let oldest = "majors:\(total - 1)"

        let fromStart = try await service.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader)
        #expect((fromStart.json["liquidations"] as? [[String: Any]])?.map { $0["id"] as? String } == [oldest, "majors:\(total)"])
        #expect(fromStart.json["truncated"] as? Bool == true, "\(fromStart.text)")
        #expect(fromStart.json["oldestRetained"] as? String == oldest)
        let stale = try await service.call("GET", "/v1/segments/majors/liquidations?after=majors:1", key: TestKeys.reader)
        #expect(stale.json["truncated"] as? Bool == true)
        // A cursor right before the oldest kept misses nothing.
        let current = try await service.call("GET", "/v1/segments/majors/liquidations?after=majors:\(total - 2)", key: TestKeys.reader)
        #expect(current.json["truncated"] as? Bool == false, "\(current.text)")
        #expect((current.json["liquidations"] as? [Any])?.count == 2)

        // A restart replays the journal under the same retention: the same answer.
        let data = service.dataFolder
        let clock = service.clock
        await service.stop()
        let restarted = try await TestService.start(dataFolder: data, clock: clock, tweak: tweak)
        defer { Task { await restarted.stop() } }
        #expect(try await restarted.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader).text == fromStart.text)
    }

    @Test func theDefaultKeepsEverythingHereAndSaysNothingIsMissing() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let empty = try await service.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader)
        #expect(empty.json["truncated"] as? Bool == false)
        #expect(empty.json.keys.contains("oldestRetained") && empty.json["oldestRetained"] is NSNull)
        let total = try await Self.crash(service)
        let page = try await service.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader)
        #expect((page.json["liquidations"] as? [Any])?.count == total)
        #expect(page.json["truncated"] as? Bool == false)
        #expect(page.json["oldestRetained"] as? String == "majors:1")
    }

    @Test func retentionIsASettingWithBounds() throws {
        #expect(ServiceSettings().liquidationRetention == 10_000)
        let temporary = try TemporaryFolder("settings")
        defer { withExtendedLifetime(temporary) {} }
        try #"{"liquidations": {"retention": 250}}"#.write(toFile: temporary.path + "/service.json", atomically: true, encoding: .utf8)
        #expect(try ServiceSettings.load(flags: [:], environment: ["BULKHEAD_CONFIG": temporary.path]).liquidationRetention == 250)
        let fromRepo = try ServiceSettings.load(flags: ["config": .string(TestService.repoRoot + "/Config")], environment: [:])
        #expect(fromRepo.liquidationRetention == ServiceSettings().liquidationRetention)
        for bad in ["0", "-5", "1000001"] {
            #expect {
                try ServiceSettings.load(flags: [:], environment: ["BULKHEAD_CONFIG": temporary.path, "BULKHEAD_LIQUIDATIONS_RETENTION": bad])
            } throws: { error in
                "\(error)".contains("liquidations.retention")
            }
        }
    }
}
