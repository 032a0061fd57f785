@testable import BulkheadService
import Foundation
import Testing

/// Issue #18 "Bounded answers in a cascade" over real sockets: a price that liquidates more
/// than `prices.maxDecisionsInResponse` decisions answers with that many, the total and a
/// cursor; `GET …/liquidations?after=` returns the rest, and the stream carries them all.
@Suite struct BoundedPriceAnswerTests {
    @Test func cappedAnswerCarriesTotalAndCursorForTheRest() async throws {
        let service = try await TestService.start { $0.events.maxDecisionsInResponse = 2 }
        defer { Task { await service.stop() } }
        #expect(try await service.price("majors", [("BTC-USD", "64000")]).status == 200)
        let accounts = ["a1", "a2", "a3", "a4"]
        for account in accounts {
            #expect(try await service.deposit("majors", account, "USDC", "4000").status == 200)
            #expect(try await service.fill("majors", account, "BTC-USD", size: "1", price: "64000").status == 200)
        }
        let port = service.port
        let stream = try await onThread {
            try SSETestClient(port: port, path: "/v1/segments/majors/events?types=liquidation", key: TestKeys.reader)
        }
        service.clock.advance(seconds: 1)
        let crash = try await service.price("majors", [("BTC-USD", "61000")])
        #expect(crash.status == 200)
        let shown = crash.json["liquidations"] as? [[String: Any]] ?? []
        let total = try #require(crash.json["liquidationsTotal"] as? Int, "\(crash.text)")
        #expect(shown.count == 2 && total > 2)
        let next = try #require(crash.json["liquidationsNext"] as? String)
        #expect(next == shown.last?["id"] as? String)

        let rest = try await service.call("GET", "/v1/segments/majors/liquidations?after=\(next)&limit=1000", key: TestKeys.reader)
        let remaining = rest.json["liquidations"] as? [[String: Any]] ?? []
        #expect(shown.count + remaining.count == total, "\(rest.text)")
        #expect(Set(remaining.compactMap { $0["account"] as? String }).isSubset(of: Set(accounts)))

        let events = try await onThread { try stream.read(total) }
        let ids = try events.map { event in
            try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])["id"] as? String
        }
        #expect(ids == (shown + remaining).map { $0["id"] as? String })
    }
}
