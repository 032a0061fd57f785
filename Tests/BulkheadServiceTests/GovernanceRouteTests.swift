@testable import BulkheadService
import Foundation
import Testing

/// API.md "Governance" over real sockets: a params change is versioned (`expectedVersion` →
/// 409), listed in the history with the key id and reason, and a `params_changed` event;
/// an insurance top-up answers the new fund.
@Suite struct GovernanceRouteTests {
    @Test func paramsChangeIsVersionedHistoricizedAndStreamed() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let port = service.port
        let stream = try await onThread {
            try SSETestClient(port: port, path: "/v1/segments/majors/events?types=params_changed", key: TestKeys.reader)
        }
        let body = #"{"expectedVersion": 1, "reason": "tighten BTC", "markets": [{"id": "BTC-USD", "initialMarginFraction": "0.06"}]}"#
        let put = try await service.call("PUT", "/v1/segments/majors/params", key: TestKeys.admin, body: body)
        #expect(put.status == 200, "\(put.text)")
        #expect(put.json["version"] as? Int == 2)
        let stale = try await service.call("PUT", "/v1/segments/majors/params", key: TestKeys.admin, body: body)
        #expect(stale.status == 409 && stale.errorCode == "version_conflict", "\(stale.text)")
        #expect(try await service.call("PUT", "/v1/segments/majors/params", key: TestKeys.reader, body: body).status == 403)

        let history = try await service.call("GET", "/v1/segments/majors/params/history", key: TestKeys.reader)
        let versions = history.json["versions"] as? [[String: Any]] ?? []
        let last = try #require(versions.last, "\(history.text)")
        #expect(last["version"] as? Int == 2 && last["reason"] as? String == "tighten BTC" && last["keyId"] as? String != nil)
        let changes = last["changes"] as? [[String: Any]] ?? []
        #expect(changes.contains { ($0["field"] as? String)?.contains("BTC-USD") == true && $0["to"] as? String == "0.06" }, "\(history.text)")

        let event = try await onThread { try stream.read(1) }[0]
        let data = try #require(try JSONSerialization.jsonObject(with: Data(event.data.utf8)) as? [String: Any])
        #expect(event.type == "params_changed" && data["version"] as? Int == 2 && data["segment"] as? String == "majors")
    }

    @Test func insuranceTopUpRaisesTheFundAndRejectsNonPositive() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let before = try await service.call("GET", "/v1/segments/majors", key: TestKeys.reader).json["insuranceFund"] as? String
        let top = try await service.call(
            "POST", "/v1/segments/majors/insurance", key: TestKeys.admin, body: #"{"amount": "250000", "reason": "recap"}"#)
        #expect(top.status == 200, "\(top.text)")
        #expect(top.json["amount"] as? String == "250000" && top.json["badDebtPaid"] as? String == "0")
        let after = try await service.call("GET", "/v1/segments/majors", key: TestKeys.reader).json["insuranceFund"] as? String
        #expect(after != before && after == top.json["insuranceFund"] as? String)
        // Well-formed but not > 0: 422 (API.md), as a transfer's; malformed stays 400.
        for amount in ["0", "-5"] {
            let refused = try await service.call(
                "POST", "/v1/segments/majors/insurance", key: TestKeys.admin, body: #"{"amount": "\#(amount)", "reason": "x"}"#)
            #expect(refused.status == 422 && refused.errorCode == "invalid_amount", "\(refused.text)")
        }
        let malformed = try await service.call("POST", "/v1/segments/majors/insurance", key: TestKeys.admin, body: #"{"amount": "1e3"}"#)
        #expect(malformed.status == 400 && malformed.errorCode == "invalid_amount", "\(malformed.text)")
        #expect(try await service.call("GET", "/v1/segments/majors", key: TestKeys.reader).json["insuranceFund"] as? String == after)
    }
}
