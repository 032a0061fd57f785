import Testing
@testable import BulkheadService

/// The per-request helpers rewritten for speed keep their observable behaviour.
@Suite struct HotPathTests {
    @Test func generatedRequestIDsAreValidUniqueAndHex() {
        let source = RequestIDSource()
        var seen = Set<String>()
        for _ in 0..<300 {
            let id = source.identifier(for: nil)
            #expect(RequestIDSource.isValid(id))
            #expect(seen.insert(id).inserted)
        }
        let first = source.identifier(for: "bad id")
        let parts = first.split(separator: "-")
        #expect(parts.count == 2)
        #expect(parts[1] == "12d")  // the 301st id: counter 301 in hex
        #expect(source.identifier(for: "trace-1") == "trace-1")
    }

    @Test(arguments: [
        ("application/json", true), ("Application/JSON", true), ("application/json; charset=utf-8", true),
        ("application/problem+json", true), ("text/json", false), ("application/jsonx", false), ("", false),
    ])
    func jsonMediaTypes(_ type: String, _ expected: Bool) {
        #expect(RequestContext.isJSON(type) == expected)
    }

    @Test func requestSeriesShareOneLatencySeriesPerRoute() {
        let metrics = ServiceMetrics()
        metrics.recordRequest(route: "/healthz", method: "GET", status: 200, nanoseconds: 1_000)
        metrics.recordRequest(route: "/healthz", method: "GET", status: 200, nanoseconds: 1_000)
        metrics.recordRequest(route: "/healthz", method: "GET", status: 503, nanoseconds: 1_000)
        let text = String(decoding: metrics.exposition(), as: UTF8.self)
        let counters = text.split(separator: "\n").filter { $0.hasPrefix("bulkhead_http_requests_total{") }
        #expect(counters.count == 2)
        #expect(counters.contains { $0.contains("status=\"200\"") && $0.hasSuffix(" 2") })
        #expect(counters.contains { $0.contains("status=\"503\"") && $0.hasSuffix(" 1") })
        let counts = text.split(separator: "\n").filter { $0.hasPrefix("bulkhead_http_request_duration_seconds_count") }
        #expect(counts.count == 1)
        #expect(counts.first?.hasSuffix(" 3") == true)
    }
}
