import Foundation
@testable import BulkheadService
import Testing

/// Bridges and transfers over real sockets (API.md "Bridges and transfers between segments").
@Suite struct TransferRouteTests {
    /// A segment whose insurance fund starts below its floor, so it starts `isolated`.
    static let riskySpec = #"""
        {"id": "risky", "settlementAsset": "USDC", "collateral": [{"asset": "USDC", "weight": "1"}],
         "markets": [{"id": "EUR-USD", "initialMarginFraction": "0.02", "maintenanceMarginFraction": "0.01", "maxOpenInterest": "1000000"}],
         "oracle": {"maxAgeSeconds": 60, "liquidationMaxAgeSeconds": 600, "maxFutureSkewSeconds": 5, "maxJump": "0.05", "minSources": 1},
         "liquidation": {"penalty": "0.005", "buffer": "0.05", "maxPortion": "0.25", "minNotional": "10000"},
         "insuranceFund": "1000", "insuranceFundFloor": "5000",
         "regimes": {"ewmaHalfLifeSeconds": 86400, "hysteresis": "0.2", "cooldownSeconds": 900, "mmRampSeconds": 1800,
           "elevated": {"volatility": "0.2", "initialMarginMultiplier": "1.5", "maintenanceMarginMultiplier": "1.25"},
           "isolated": {"volatility": "0.4", "initialMarginMultiplier": "2", "maintenanceMarginMultiplier": "1.5"},
           "reduceOnly": {"volatility": "0.8", "initialMarginMultiplier": "2", "maintenanceMarginMultiplier": "1.5"}}}
        """#

    static func bridgeBody(_ from: String, _ to: String, windowLimit: String = "1000", maxTransfer: String = "600") -> String {
        #"{"from":"\#(from)","to":"\#(to)","asset":"USDC","windowSeconds":3600,"windowLimit":"\#(windowLimit)","maxTransfer":"\#(maxTransfer)","elevatedFactor":"0.25"}"#
    }

    @Test func completedTransferMovesTheAmountAndIsRecorded() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        #expect(try await service.deposit("majors", "alice", "USDC", "1000").status == 200)
        let response = try await service.transfer("alice", "majors", "alts", "500")
        #expect(response.status == 200)
        #expect(response.decision == "accepted")
        let transfer = try #require(response.transfer)
        #expect(transfer["state"] as? String == "completed")
        #expect(transfer["amount"] as? String == "500")
        #expect(transfer["timestamp"] as? String == service.clock.text)
        #expect((response.json["from"] as? [String: Any])?["segment"] as? String == "majors")
        #expect((response.json["to"] as? [String: Any])?["segment"] as? String == "alts")
        #expect(try await service.balance("majors", "alice") == "500")
        #expect(try await service.balance("alts", "alice") == "500")

        let id = try #require(transfer["id"] as? String)
        #expect(id.hasPrefix("tr-"))
        let record = try await service.call("GET", "/v1/transfers/\(id)", key: TestKeys.reader)
        #expect(record.status == 200 && record.json["state"] as? String == "completed")
        // read on both ends: a key for alts only may not see it.
        #expect(try await service.call("GET", "/v1/transfers/\(id)", key: TestKeys.readerAlts).status == 403)
        #expect(try await service.call("GET", "/v1/transfers/tr-999999999", key: TestKeys.reader).errorCode == "unknown_transfer")

        let bridge = try #require(try await service.bridge("majors", "alts"))
        #expect(bridge["state"] as? String == "open")
        #expect(bridge["usedInWindow"] as? String == "500")
        #expect(bridge["available"] as? String == "249500")
        let events = service.app.bridgeEvents
        #expect(events.contains { if case .transfer(let r) = $0 { r.idText == id && r.state == .completed } else { false } })
    }

    /// Every rejection over HTTP answers 200 "rejected" with the source account, and changes nothing.
    @Test func rejectionsChangeNothing() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        #expect(try await service.deposit("majors", "alice", "USDC", "100000").status == 200)
        #expect(try await service.call("POST", "/v1/segments", key: TestKeys.admin, body: Self.riskySpec).status == 201)
        #expect(try await service.call("PUT", "/v1/bridges", key: TestKeys.admin, body: Self.bridgeBody("majors", "risky")).status == 200)
        let closed = try #require(try await service.bridge("majors", "risky"))
        #expect(closed["state"] as? String == "closed" && closed["reason"] as? String == "risky is isolated")
        // The new bridge's state is recorded once as a bridge_state event.
        let states = service.app.bridgeEvents.compactMap { if case .bridgeState(let change) = $0, change.to == "risky" { change } else { nil } }
        #expect(states.map(\.state) == [.closed] && states.first?.reason == "risky is isolated")

        for (from, to, amount, reason) in [
            ("majors", "risky", "1", "bridge_closed"),
            ("majors", "alts", "50000.00000001", "bridge_limit"),
            ("majors", "stable", "100000.00000001", "insufficient_margin"),
        ] {
            let before = try await service.balances(from)
            let response = try await service.transfer("alice", from, to, amount)
            #expect(response.status == 200 && response.decision == "rejected" && response.reason == reason, "\(reason): \(response.text)")
            #expect((response.json["from"] as? [String: Any])?["account"] as? String == "alice")
            #expect(try await service.balances(from) == before)
        }
        #expect(try await service.balance("risky", "alice") == "0")
        #expect(try await service.bridge("majors", "alts")?["usedInWindow"] as? String == "0")
    }

    @Test func invalidRequestsAreErrors() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        #expect(try await service.transfer("alice", "stable", "alts", "1").errorCode == "unknown_bridge")
        let same = try await service.transfer("alice", "majors", "majors", "1")
        #expect(same.status == 422)
        #expect(try await service.transfer("alice", "majors", "alts", "-1").status == 422)
        #expect(try await service.transfer("alice", "majors", "alts", "1e3").errorCode == "invalid_amount")
        // trading on both ends: a majors-only trader cannot move value to alts.
        #expect(try await service.transfer("alice", "majors", "alts", "1", key: TestKeys.traderMajors).status == 403)
        #expect(try await service.transfer("alice", "majors", "alts", "1", key: TestKeys.reader).status == 403)
        let invalid = try await service.call(
            "PUT", "/v1/bridges", key: TestKeys.admin,
            body: #"{"from":"majors","to":"alts","asset":"USDC","windowSeconds":0,"windowLimit":"1","maxTransfer":"1"}"#)
        #expect(invalid.status == 422 && invalid.errorCode == "invalid_bridge" && invalid.text.contains("windowSeconds"), "\(invalid.text)")
        let unknownAsset = try await service.call(
            "PUT", "/v1/bridges", key: TestKeys.admin,
            body: #"{"from":"majors","to":"alts","asset":"ETH","windowSeconds":1,"windowLimit":"1","maxTransfer":"1"}"#)
        #expect(unknownAsset.errorCode == "invalid_bridge" && unknownAsset.text.contains("'ETH' is not permitted in segment 'alts'"))
        #expect(try await service.call("PUT", "/v1/bridges", key: TestKeys.trader, body: Self.bridgeBody("majors", "alts")).status == 403)
        #expect(try await service.call("PUT", "/v1/bridges", key: TestKeys.adminMajors, body: Self.bridgeBody("majors", "alts")).status == 403)
        #expect(try await service.call("DELETE", "/v1/bridges?from=alts&to=majors&asset=USDC", key: TestKeys.admin).errorCode == "unknown_bridge")
        #expect(try await service.call("DELETE", "/v1/bridges?from=majors&to=alts", key: TestKeys.admin).errorCode == "invalid_query")
    }

    /// GET /v1/bridges shows a key only the bridges with both ends in its scope.
    @Test func listingIsFilteredByScope() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let all = try await service.call("GET", "/v1/bridges", key: TestKeys.reader).json["bridges"] as? [[String: Any]] ?? []
        #expect(all.map { "\($0["from"]!)>\($0["to"]!)" } == ["majors>alts", "majors>stable", "stable>majors"])
        let altsOnly = try await service.call("GET", "/v1/bridges", key: TestKeys.readerAlts).json["bridges"] as? [[String: Any]]
        #expect(altsOnly?.isEmpty == true)
    }

    /// The same Idempotency-Key twice: one transfer, the same answer.
    @Test func retriedTransferIsAppliedOnce() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        #expect(try await service.deposit("majors", "alice", "USDC", "1000").status == 200)
        let first = try await service.transfer("alice", "majors", "stable", "300", headers: [("Idempotency-Key", "t-1")])
        let second = try await service.transfer("alice", "majors", "stable", "300", headers: [("Idempotency-Key", "t-1")])
        #expect(first.status == 200 && second.status == 200)
        #expect(first.body == second.body)
        #expect(second.header("Idempotent-Replayed") == "true")
        #expect(try await service.balance("majors", "alice") == "700")
        #expect(try await service.balance("stable", "alice") == "300")
        let other = try await service.transfer("alice", "majors", "stable", "301", headers: [("Idempotency-Key", "t-1")])
        #expect(other.errorCode == "idempotency_key_reused")
    }

    /// Bridge changes and the window are journaled: a restart keeps both.
    @Test func bridgesAndWindowSurviveRestart() async throws {
        let first = try await TestService.start()
        #expect(try await first.deposit("majors", "alice", "USDC", "5000").status == 200)
        #expect(try await first.call("PUT", "/v1/bridges", key: TestKeys.admin, body: Self.bridgeBody("majors", "alts")).status == 200)
        let firstTransfer = try await first.transfer("alice", "majors", "alts", "600")
        #expect(firstTransfer.transfer?["state"] as? String == "completed")
        let deleted = try await first.call("DELETE", "/v1/bridges?from=stable&to=majors&asset=USDC", key: TestKeys.admin)
        #expect(deleted.status == 200 && deleted.json["windowLimit"] as? String == "1000000")
        await first.stop()

        let second = try await TestService.start(dataFolder: first.dataFolder, clock: first.clock)
        defer { Task { await second.stop() } }
        let bridge = try #require(try await second.bridge("majors", "alts"))
        #expect(bridge["windowLimit"] as? String == "1000" && bridge["usedInWindow"] as? String == "600")
        #expect(try await second.bridge("stable", "majors") == nil)
        #expect(try await second.transfer("alice", "majors", "alts", "400.00000001").reason == "bridge_limit")
        let next = try await second.transfer("alice", "majors", "alts", "400")
        #expect(next.transfer?["state"] as? String == "completed")
        // Ids continue after a restart (they are fixed width, so text order is number order).
        let firstId = try #require(firstTransfer.transfer?["id"] as? String), nextId = try #require(next.transfer?["id"] as? String)
        #expect(nextId > firstId)
        second.clock.advance(seconds: 3600)
        #expect(try await second.bridge("majors", "alts")?["usedInWindow"] as? String == "0")
    }
}
