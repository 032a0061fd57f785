import Testing

/// The README walk-through over real sockets: deposit, open a position, post a price that
/// liquidates it, read the decision back.
@Suite(.serialized) struct WalkthroughTests {
    @Test func depositTradeLiquidate() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }

        let ready = try await service.call("GET", "/readyz")
        #expect(ready.status == 200)
        #expect(ready.text == #"{"status":"ready"}"#)

        let deposit = try await service.deposit("majors", "alice", "USDC", "10000")
        #expect(deposit.status == 200, "\(deposit.text)")
        #expect(deposit.json["decision"] as? String == "accepted")

        let priced = try await service.price("majors", [("BTC-USD", "64000")])
        #expect(priced.status == 200, "\(priced.text)")
        #expect(priced.text.contains(#""accepted":[{"market":"BTC-USD","indexPrice":"64000"}]"#))

        let fill = try await service.fill("majors", "alice", "BTC-USD", size: "0.5", price: "64000")
        #expect(fill.status == 200, "\(fill.text)")
        #expect(fill.json["decision"] as? String == "accepted")
        let account = fill.json["account"] as? [String: Any]
        let position = (account?["positions"] as? [[String: Any]])?.first
        #expect(position?["size"] as? String == "0.5")
        let liquidationPrice = position?["liquidationPrice"] as? String
        #expect(liquidationPrice != nil)

        service.clock.advance(seconds: 1)
        let lower = try await service.price("majors", [("BTC-USD", "49000")])
        #expect(lower.status == 200)
        #expect((lower.json["liquidations"] as? [Any])?.isEmpty == true, "\(lower.text)")

        service.clock.advance(seconds: 1)
        let crash = try await service.price("majors", [("BTC-USD", "44000")])
        #expect(crash.status == 200)
        let decisions = crash.json["liquidations"] as? [[String: Any]] ?? []
        #expect(!decisions.isEmpty, "\(crash.text)")
        #expect(decisions.first?["account"] as? String == "alice")
        #expect(decisions.first?["id"] as? String == "majors:1")

        let history = try await service.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader)
        #expect(history.status == 200)
        let listed = history.json["liquidations"] as? [[String: Any]] ?? []
        #expect(listed.count == decisions.count)
        #expect(listed.first?["id"] as? String == "majors:1")

        let after = try await service.call("GET", "/v1/segments/majors/accounts/alice", key: TestKeys.reader)
        #expect(after.status == 200)
        #expect(after.json["account"] as? String == "alice")
    }
}
