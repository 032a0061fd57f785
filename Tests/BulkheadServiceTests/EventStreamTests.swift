@testable import BulkheadService
import Foundation
import Testing

/// API.md "Events" over real sockets: resume with Last-Event-ID (also across a restart) ends
/// with exactly what a never-disconnected client saw; a slow subscriber is dropped while a
/// fast one keeps every event.
@Suite(.serialized) struct EventStreamTests {
    static let path = "/v1/segments/majors/events"

    /// A batch of `count` prices for an unknown market: each is a `price_rejected` event.
    static func rejectedBatch(_ service: TestService, count: Int, tag: Int) async throws {
        let items = (0..<count).map { i in
            #"{"market":"NOPE-\#(tag)-\#(i)","price":"1","timestamp":"\#(service.clock.text)","source":"feed-a"}"#
        }
        let response = try await service.call(
            "POST", "/v1/segments/majors/prices", key: TestKeys.oracle, body: #"{"prices":["# + items.joined(separator: ",") + "]}")
        #expect(response.status == 200)
    }

    static func connect(_ service: TestService, lastEventID: String? = nil, query: String = "", receiveBuffer: Int32? = nil) async throws -> SSETestClient {
        let port = service.port
        return try await onThread {
            try SSETestClient(port: port, path: path + query, key: TestKeys.reader, lastEventID: lastEventID, receiveBuffer: receiveBuffer)
        }
    }

    static func read(_ client: SSETestClient, _ count: Int) async throws -> [SSEEvent] {
        try await onThread { try client.read(count) }
    }

    @Test func resumeAcrossDisconnectAndRestartHasNoGapAndNoDuplicate() async throws {
        let first = try await TestService.start()
        let steady = try await Self.connect(first)
        #expect(steady.status == 200 && steady.head.lowercased().contains("content-type: text/event-stream"))
        #expect(!steady.head.lowercased().contains("content-encoding"))
        let resumer = try await Self.connect(first)
        for tag in 0..<3 { try await Self.rejectedBatch(first, count: 2, tag: tag) }
        var seen = try await Self.read(steady, 6)
        #expect(steady.sawRetry)
        var resumed = try await Self.read(resumer, 4)
        resumer.close()
        for tag in 3..<6 { try await Self.rejectedBatch(first, count: 2, tag: tag) }
        seen += try await Self.read(steady, 6)
        let again = try await Self.connect(first, lastEventID: resumed.last!.id!)
        resumed += try await Self.read(again, 8)
        try await Self.rejectedBatch(first, count: 2, tag: 6)
        seen += try await Self.read(steady, 2)
        resumed += try await Self.read(again, 2)
        #expect(resumed == seen)
        #expect(seen.allSatisfy { $0.type == "price_rejected" })
        #expect(Set(seen.compactMap(\.id)).count == 14)

        // Restart on the same journal: resume from the 10th event.
        await first.stop()
        let second = try await TestService.start(dataFolder: first.dataFolder)
        let fresh = try await Self.connect(second)
        let afterRestart = try await Self.connect(second, lastEventID: seen[9].id!)
        var replayed = try await Self.read(afterRestart, 4)
        #expect(replayed == Array(seen[10...]))
        try await Self.rejectedBatch(second, count: 2, tag: 7)
        let live = try await Self.read(fresh, 2)
        replayed += try await Self.read(afterRestart, 2)
        #expect(replayed == Array(seen[10...]) + live)
        await second.stop()
    }

    @Test func typesFilterAndModeChangeOnTheStream() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let modes = try await Self.connect(service, query: "?types=mode_change")
        try await Self.rejectedBatch(service, count: 1, tag: 0)
        let put = try await service.call(
            "PUT", "/v1/segments/majors/mode", key: TestKeys.admin, body: #"{"mode":"isolated","reason":"drill"}"#)
        #expect(put.status == 200)
        let event = try await Self.read(modes, 1)[0]
        #expect(event.type == "mode_change" && event.data.contains(#""to":"isolated""#) && event.data.contains("drill"))
        let bad = try await service.call("GET", Self.path + "?types=nope", key: TestKeys.reader)
        #expect(bad.status == 400 && bad.errorCode == "invalid_query")
    }

    @Test func slowSubscriberIsDroppedWhileAFastOneKeepsEveryEvent() async throws {
        let service = try await TestService.start { $0.events.subscriberQueue = 256 }
        defer { Task { await service.stop() } }
        let fast = try await Self.connect(service)
        let slow = try await Self.connect(service, receiveBuffer: 4_096)
        let hub = try #require(service.app.registry.engine("majors")).hub
        var fastSeen: [SSEEvent] = []
        var tag = 0
        // Lockstep with the fast reader: its queue never holds more than one batch (100 ≤ 256),
        // while the slow one's socket fills and its queue overflows.
        while hub.droppedCount == 0 && tag < 2_000 {
            try await Self.rejectedBatch(service, count: 100, tag: tag)
            fastSeen += try await Self.read(fast, 100)
            tag += 1
        }
        #expect(hub.droppedCount == 1)
        let slowSeen = try await onThread { try slow.readToEnd() }
        #expect(slowSeen.count < fastSeen.count)
        #expect(slowSeen == Array(fastSeen.prefix(slowSeen.count)))
        // The fast one is still subscribed and gets the next event.
        try await Self.rejectedBatch(service, count: 1, tag: tag)
        #expect(try await Self.read(fast, 1).count == 1)
        // /metrics counts the drop by segment, and the one stream still open.
        let text = try await service.call("GET", "/metrics").text
        #expect(SegmentBulkheadTests.sample(text, #"bulkhead_event_subscribers_dropped_total{segment="majors"}"#) == 1)
        #expect(SegmentBulkheadTests.sample(text, #"bulkhead_event_subscribers_dropped_total{segment="alts"}"#) == 0)
        #expect(SegmentBulkheadTests.sample(text, #"bulkhead_event_subscribers{segment="majors"}"#) == 1)
        #expect(SegmentBulkheadTests.sample(text, "bulkhead_event_streams_open") == 1)
        let published = try #require(SegmentBulkheadTests.sample(text, #"bulkhead_events_published_total{segment="majors"}"#))
        #expect(published == Double(fastSeen.count + 1))
    }

    @Test func subscriberLimitAnswers503WithRetryAfter() async throws {
        let service = try await TestService.start { $0.events.maxSubscribers = 1 }
        defer { Task { await service.stop() } }
        let only = try await Self.connect(service)
        #expect(only.status == 200)
        let refused = try await service.call("GET", Self.path, key: TestKeys.reader)
        #expect(refused.status == 503 && refused.errorCode == "too_many_subscribers" && refused.header("Retry-After") != nil)
    }
}
