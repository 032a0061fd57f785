@testable import BulkheadService
import Foundation
import Testing

/// API.md "Events": `transfer` and `bridge_state` on both ends' streams, with ids in each
/// segment's stream, so a `Last-Event-ID` resume replays them — also after a restart.
@Suite(.serialized) struct BridgeEventStreamTests {
    static func connect(_ service: TestService, _ segment: String, lastEventID: String? = nil) async throws -> SSETestClient {
        let port = service.port
        return try await onThread {
            try SSETestClient(port: port, path: "/v1/segments/\(segment)/events", key: TestKeys.reader, lastEventID: lastEventID)
        }
    }

    static func read(_ client: SSETestClient, _ count: Int) async throws -> [SSEEvent] {
        try await onThread { try client.read(count) }
    }

    static func json(_ event: SSEEvent) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
    }

    @Test func transferAndBridgeStateReachBothEndsAndResumeAcrossARestart() async throws {
        let first = try await TestService.start()
        let majors = try await Self.connect(first, "majors")
        let alts = try await Self.connect(first, "alts")
        #expect(try await first.deposit("majors", "alice", "USDC", "1000").status == 200)
        let transfer = try await first.transfer("alice", "majors", "alts", "500")
        let id = try #require(transfer.transfer?["id"] as? String)
        // alts isolated by the admin floor: the bridge majors → alts closes.
        let put = try await first.call("PUT", "/v1/segments/alts/mode", key: TestKeys.admin, body: #"{"mode":"isolated","reason":"drill"}"#)
        #expect(put.status == 200)

        let onMajors = try await Self.read(majors, 2)
        #expect(onMajors.map(\.type) == ["transfer", "bridge_state"])
        let record = try Self.json(onMajors[0])
        #expect(record["id"] as? String == id && record["state"] as? String == "completed" && record["amount"] as? String == "500")
        #expect(Set(record.keys) == ["id", "state", "account", "from", "to", "asset", "amount", "timestamp"])
        let state = try Self.json(onMajors[1])
        #expect(state["from"] as? String == "majors" && state["to"] as? String == "alts" && state["asset"] as? String == "USDC")
        #expect(state["state"] as? String == "closed" && state["reason"] as? String == "alts is isolated")
        #expect(Set(state.keys) == ["from", "to", "asset", "state", "reason", "timestamp"])

        let onAlts = try await Self.read(alts, 3)
        #expect(onAlts.map(\.type) == ["transfer", "mode_change", "bridge_state"])
        #expect(onAlts[0].data == onMajors[0].data && onAlts[2].data == onMajors[1].data)
        // Ids are each stream's own: increasing within the segment.
        let positions = onAlts.map { ($0.id ?? "").split(separator: ".").compactMap { UInt64($0) } }
        #expect(positions.allSatisfy { $0.count == 2 })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) })

        // Resume from the transfer: the bridge_state replays from the journal.
        let resumed = try await Self.connect(first, "majors", lastEventID: onMajors[0].id)
        #expect(try await Self.read(resumed, 1) == [onMajors[1]])

        // After a restart on the same journal, the same events with the same ids, and the
        // restart itself publishes no bridge_state.
        await first.stop()
        let second = try await TestService.start(dataFolder: first.dataFolder)
        defer { Task { await second.stop() } }
        let replayed = try await Self.connect(second, "alts", lastEventID: onAlts[0].id)
        #expect(try await Self.read(replayed, 2) == Array(onAlts[1...]))
        #expect(second.app.bridgeEvents.isEmpty)
        let afterTransfer = try await Self.connect(second, "majors", lastEventID: onMajors[0].id)
        #expect(try await Self.read(afterTransfer, 1) == [onMajors[1]])
    }

    @Test func acceptedTransfersReachBothStreamsAndRejectedOnesNothing() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let majors = try await Self.connect(service, "majors")
        let alts = try await Self.connect(service, "alts")
        #expect(try await service.deposit("majors", "alice", "USDC", "1000").status == 200)
        #expect(try await service.transfer("alice", "majors", "alts", "100").decision == "accepted")
        // A rejected transfer has no record: nothing on either stream.
        #expect(try await service.transfer("alice", "majors", "alts", "50000.00000001").decision == "rejected")
        #expect(try await service.transfer("alice", "majors", "alts", "200").decision == "accepted")
        let onMajors = try await Self.read(majors, 2).map { try Self.json($0)["amount"] as? String }
        let onAlts = try await Self.read(alts, 2).map { try Self.json($0)["amount"] as? String }
        #expect(onMajors == ["100", "200"] && onAlts == ["100", "200"])
    }
}
