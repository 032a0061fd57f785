@testable import BulkheadService
import Testing

/// Every error code of API.md (and the service's own 400 family) provoked once, body checked.
@Suite(.serialized) struct ErrorCodeTests {
    static func expectError(_ response: TestResponse, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.errorCode == code, "\(response.text)", sourceLocation: sourceLocation)
        let error = response.json["error"] as? [String: Any]
        #expect((error?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
        #expect(error?.count == 2, sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
    }

    @Test func badRequests() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let collateral = "/v1/segments/majors/collateral"
        func post(_ body: String) async throws -> TestResponse {
            try await service.call("POST", collateral, key: TestKeys.trader, body: body)
        }
        Self.expectError(try await post("{nope"), 400, "invalid_json")
        Self.expectError(try await post("[1]"), 400, "invalid_json")
        Self.expectError(try await post(""), 400, "invalid_json")
        Self.expectError(try await post(#"{"account":"a","asset":"USDC"}"#), 400, "missing_field")
        Self.expectError(try await post(#"{"account":["a"],"asset":"USDC","amount":"1"}"#), 400, "invalid_field")
        for amount in ["1", "1e3", "\"1e3\"", "\"NaN\"", "\"\"", "\"0.000000001\"", "\"+1\"", "\" 1\"", "null"] {
            let response = try await post(#"{"account":"a","asset":"USDC","amount":\#(amount)}"#)
            if amount == "null" {
                Self.expectError(response, 400, "missing_field")
            } else {
                Self.expectError(response, 400, "invalid_amount")
            }
        }
        let named = try await post(#"{"account":"a","asset":"USDC","amount":12.5}"#)
        #expect(named.text.contains("amount"))
        Self.expectError(try await post(#"{"account":"a b","asset":"USDC","amount":"1"}"#), 400, "invalid_identifier")
        Self.expectError(
            try await post(#"{"account":"\#(String(repeating: "x", count: 65))","asset":"USDC","amount":"1"}"#), 400, "invalid_identifier")
        let badTime = try await service.call(
            "POST", "/v1/segments/majors/prices", key: TestKeys.oracle,
            body: #"{"prices":[{"market":"BTC-USD","price":"1","timestamp":"yesterday","source":"a"}]}"#)
        Self.expectError(badTime, 400, "invalid_timestamp")
        #expect(badTime.text.contains("prices[0].timestamp"))
        // API.md: RFC 3339 *UTC*; a valid time with another offset is still refused.
        let offsetTime = try await service.call(
            "POST", "/v1/segments/majors/prices", key: TestKeys.oracle,
            body: #"{"prices":[{"market":"BTC-USD","price":"1","timestamp":"2026-11-24T17:00:00+01:00","source":"a"}]}"#)
        Self.expectError(offsetTime, 400, "invalid_timestamp")
        Self.expectError(
            try await service.call("GET", "/v1/segments/majors/accounts?limit=5000", key: TestKeys.reader), 400, "invalid_query")
        Self.expectError(
            try await service.call("GET", "/v1/segments/majors/accounts?status=rich", key: TestKeys.reader), 400, "invalid_query")
        Self.expectError(
            try await service.call("GET", "/v1/segments/majors/liquidations?after=alts:3", key: TestKeys.reader), 400, "invalid_query")
        Self.expectError(
            try await service.call(
                "POST", collateral, key: TestKeys.trader, body: #"{"account":"a","asset":"USDC","amount":"1"}"#,
                headers: [("Idempotency-Key", "has space")]), 400, "invalid_header")
        Self.expectError(try await service.call("GET", "/v1/segments/%ZZ", key: TestKeys.reader), 400, "invalid_path")
        Self.expectError(try await service.call("GET", "/v1/segments/bad%20id", key: TestKeys.reader), 400, "invalid_identifier")
    }

    @Test func authAndRouting() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let missing = try await service.call("GET", "/v1/segments/majors")
        Self.expectError(missing, 401, "unauthorized")
        #expect(missing.header("WWW-Authenticate") != nil)
        Self.expectError(try await service.call("GET", "/v1/segments/majors", key: "wrong-key"), 401, "unauthorized")
        Self.expectError(try await service.call("GET", "/v1/segments/bad%20id"), 401, "unauthorized")
        Self.expectError(try await service.call("GET", "/v1/segments/majors", key: TestKeys.readerAlts), 403, "forbidden")
        Self.expectError(
            try await service.call(
                "POST", "/v1/segments/majors/prices", key: TestKeys.trader,
                body: #"{"prices":[]}"#), 403, "forbidden")
        Self.expectError(try await service.call("GET", "/v1/segments/nope", key: TestKeys.admin), 404, "unknown_segment")
        Self.expectError(try await service.call("GET", "/v1/segments/majors/accounts/ghost", key: TestKeys.reader), 404, "unknown_account")
        Self.expectError(try await service.call("GET", "/v2/elsewhere"), 404, "not_found")
        let wrongMethod = try await service.call("DELETE", "/v1/segments/majors", key: TestKeys.admin)
        Self.expectError(wrongMethod, 405, "method_not_allowed")
        #expect(wrongMethod.header("Allow") == "GET, HEAD")
        Self.expectError(
            try await service.call(
                "POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: #"{"account":"a","asset":"USDC","amount":"1"}"#,
                contentType: "text/plain"), 415, "unsupported_media_type")
        let noType = try await service.call(
            "POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: #"{"account":"a","asset":"USDC","amount":"1"}"#,
            contentType: nil)
        #expect(noType.status == 200, "a missing Content-Type is accepted")
        #expect(try await service.call("POST", "/v1/stress", body: "{}").status == 401)
        Self.expectError(
            try await service.call("PUT", "/v1/segments/majors/params", key: TestKeys.admin, body: "x", contentType: "text/plain"),
            415, "unsupported_media_type")
        // Stress needs read on every shocked segment.
        Self.expectError(
            try await service.call(
                "POST", "/v1/stress", key: TestKeys.readerAlts,
                body: #"{"shocks":[{"segment":"majors","market":"BTC-USD","change":"-0.5"}]}"#), 403, "forbidden")
    }

    @Test func unprocessableAndConflicts() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        Self.expectError(try await service.fill("majors", "a", "DOGE-USD", size: "1", price: "1"), 422, "unknown_market")
        Self.expectError(try await service.deposit("majors", "a", "DOGE", "1"), 422, "collateral_not_permitted")
        var spec = try #require(String(bytes: try Self.specJSON(id: "fresh"), encoding: .utf8))
        let created = try await service.call("POST", "/v1/segments", key: TestKeys.admin, body: spec)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.json["id"] as? String == "fresh")
        Self.expectError(try await service.call("POST", "/v1/segments", key: TestKeys.admin, body: spec), 409, "segment_exists")
        spec = spec.replacingOccurrences(of: #""maintenanceMarginFraction":"0.03""#, with: #""maintenanceMarginFraction":"0.5""#)
        spec = spec.replacingOccurrences(of: #""id":"fresh""#, with: #""id":"fresh2""#)
        let invalid = try await service.call("POST", "/v1/segments", key: TestKeys.admin, body: spec)
        Self.expectError(invalid, 422, "invalid_spec")
        #expect(invalid.text.contains("markets[0].maintenanceMarginFraction"), "\(invalid.text)")
        Self.expectError(try await service.call("POST", "/v1/segments", key: TestKeys.trader, body: spec), 403, "forbidden")

        let body = #"{"account":"k","asset":"USDC","amount":"5"}"#
        let first = try await service.call(
            "POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: body, headers: [("Idempotency-Key", "k-1")])
        #expect(first.status == 200)
        Self.expectError(
            try await service.call(
                "POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: #"{"account":"k","asset":"USDC","amount":"6"}"#,
                headers: [("Idempotency-Key", "k-1")]), 422, "idempotency_key_reused")
    }

    @Test func bodyTooLarge() async throws {
        let service = try await TestService.start { $0.maxBodyBytes = 2048 }
        defer { Task { await service.stop() } }
        let big = #"{"account":"a","asset":"USDC","amount":"1","pad":""# + String(repeating: "x", count: 4096) + #""}"#
        let response = try await service.call("POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: big)
        #expect(response.status == 413)
        #expect(response.errorCode != nil)
    }

    @Test func segmentBusy() async throws {
        let journal = ScriptedJournal()
        let service = try await TestService.start(journal: journal) { $0.segmentMaxInFlight = 1 }
        defer { Task { await service.stop() } }
        let before = try journal.segmentIDs().count  // creation entries of the configured segments
        #expect(before == 3)
        journal.set(.hold)
        async let first = service.deposit("majors", "a", "USDC", "1")
        await journal.waitForSubmits(4)
        let second = try await service.deposit("majors", "b", "USDC", "1")
        Self.expectError(second, 503, "segment_busy")
        #expect(second.header("Retry-After") == "1")
        // Other segments are not affected by the busy one.
        journal.set(.normal)
        #expect(try await service.deposit("alts", "a", "USDC", "1").status == 200)
        journal.release()
        #expect(try await first.status == 200)
    }

    @Test func journalFailureDegrades() async throws {
        let journal = ScriptedJournal()
        let service = try await TestService.start(journal: journal)
        defer { Task { await service.stop() } }
        #expect(try await service.deposit("majors", "a", "USDC", "100").status == 200)
        journal.set(.fail)
        let failed = try await service.deposit("majors", "a", "USDC", "1")
        Self.expectError(failed, 503, "journal_unavailable")
        #expect(failed.header("Retry-After") != nil)
        let ready = try await service.call("GET", "/readyz")
        #expect(ready.status == 503)
        #expect(ready.json["status"] as? String == "degraded")
        journal.set(.normal)
        Self.expectError(try await service.deposit("alts", "a", "USDC", "1"), 503, "journal_unavailable")
        // Reads keep working.
        #expect(try await service.call("GET", "/v1/segments/majors/accounts/a", key: TestKeys.reader).status == 200)
        #expect(try await service.call("GET", "/healthz").status == 200)
    }

    /// The "majors" spec of the repo config, renamed.
    static func specJSON(id: String) throws -> [UInt8] {
        let specs = try SegmentCatalog.load(path: TestService.repoRoot + "/Config/segments.json")
        var spec = specs[0]
        spec.id = id
        return spec.jsonBytes
    }
}
