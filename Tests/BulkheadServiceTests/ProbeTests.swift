@testable import BulkheadService
import Testing

@Suite(.serialized) struct ProbeTests {
    @Test func probesMetricsAndRequestIDs() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let health = try await service.call("GET", "/healthz")
        #expect(health.status == 200)
        #expect(health.text == #"{"status":"ok"}"#)
        #expect(health.header("X-Request-Id")?.isEmpty == false)
        let echoed = try await service.call("GET", "/healthz", headers: [("X-Request-Id", "trace-123")])
        #expect(echoed.header("X-Request-Id") == "trace-123")
        let replaced = try await service.call("GET", "/healthz", headers: [("X-Request-Id", "bad id with spaces")])
        #expect(replaced.header("X-Request-Id") != "bad id with spaces")
        let head = try await service.call("HEAD", "/v1/segments/majors", key: TestKeys.reader)
        #expect(head.status == 200)

        _ = try await service.deposit("majors", "p", "USDC", "1")
        let metrics = try await service.call("GET", "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.header("Content-Type")?.hasPrefix("text/plain") == true)
        for name in [
            "bulkhead_http_requests_total", "bulkhead_http_request_duration_seconds", "bulkhead_segment_mode",
            "bulkhead_segment_insurance_fund", "bulkhead_market_open_interest", "bulkhead_segment_liquidations",
            "bulkhead_journal_commit_wait_seconds", "bulkhead_journal_mean_batch_size",
        ] {
            #expect(metrics.text.contains(name), "\(name)")
        }
        #expect(metrics.text.contains(#"route="/v1/segments/{segment}/collateral""#))
    }

    @Test func readinessDrainsOnShutdown() async throws {
        let service = try await TestService.start()
        #expect(try await service.call("GET", "/readyz").status == 200)
        service.app.state.markDraining()
        let draining = try await service.call("GET", "/readyz")
        #expect(draining.status == 503)
        #expect(draining.json["status"] as? String == "draining")
        #expect(draining.json["reason"] as? String != nil)
        await service.stop()
    }
}
