import Testing
@testable import BulkheadService

/// Resource bulkheads (issue 19): a segment's in-flight budget (sized from its weight),
/// early shedding at the head, and nothing shed is ever applied. The journal is held by
/// `ScriptedJournal` so requests stay in flight deterministically.
@Suite(.serialized) struct SegmentBulkheadTests {
    /// Submits the service makes at start: the creation entries of the three configured segments.
    static let creations = 3

    func balance(_ service: TestService, _ account: String) async throws -> String? {
        let summary = try await service.call("GET", "/v1/segments/majors/accounts/\(account)", key: TestKeys.reader)
        return summary.json["collateralValue"] as? String
    }

    @Test func theBudgetIsTheWeightTimesTheUnitBudgetAndShedsOneBeyond() async throws {
        let journal = ScriptedJournal()
        let service = try await TestService.start(journal: journal) {
            $0.segmentMaxInFlight = 1
            $0.segmentWeights = ["majors": 2]
        }
        defer { Task { await service.stop() } }
        journal.set(.hold)
        async let first = service.deposit("majors", "a", "USDC", "1")
        async let second = service.deposit("majors", "b", "USDC", "1")
        await journal.waitForSubmits(Self.creations + 2)
        // Weight 2 → budget 2: both are in flight; the third is one past the edge.
        let third = try await service.deposit("majors", "c", "USDC", "1")
        #expect(third.status == 503)
        #expect(third.errorCode == "segment_busy")
        #expect(third.header("Retry-After") == "1")
        // A weight-1 segment has a budget of 1: it is not touched by majors' flood.
        journal.set(.normal)
        #expect(try await service.deposit("alts", "a", "USDC", "1").status == 200)
        journal.release()
        #expect(try await first.status == 200)
        #expect(try await second.status == 200)
        // Back under budget: admitted again.
        #expect(try await service.deposit("majors", "c", "USDC", "1").status == 200)
    }

    @Test func aBusySegmentIsShedAtTheHeadWithoutParsingTheBody() async throws {
        let journal = ScriptedJournal()
        let service = try await TestService.start(journal: journal) { $0.segmentMaxInFlight = 1 }
        defer { Task { await service.stop() } }
        journal.set(.hold)
        async let first = service.deposit("majors", "a", "USDC", "1")
        await journal.waitForSubmits(Self.creations + 1)
        // A body that is not JSON: parsed, it would be a 400; shed at the head it never is.
        let garbage = try await service.call("POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: "{not json")
        #expect(garbage.status == 503)
        #expect(garbage.errorCode == "segment_busy")
        // Waiting for 100 Continue: answered at once, before any body byte is sent.
        let port = service.port
        let early = try await onThread {
            try TestHTTPClient(port: port).request(
                "POST", "/v1/segments/majors/positions",
                headers: [("Authorization", "Bearer \(TestKeys.trader)"), ("Content-Type", "application/json"),
                          ("Content-Length", "60"), ("Expect", "100-continue")])
        }
        #expect(early.status == 503)
        #expect(early.errorCode == "segment_busy")
        #expect(early.header("Retry-After") == "1")
        let metrics = try await service.call("GET", "/metrics")
        let text = String(decoding: metrics.body, as: UTF8.self)
        #expect(Self.sample(text, #"bulkhead_segment_shed_total{segment="majors",stage="head"}"#) == 2)
        #expect(Self.sample(text, #"bulkhead_segment_in_flight_budget{segment="majors"}"#) == 1)
        #expect(Self.sample(text, #"bulkhead_segment_shed_total{segment="alts",stage="head"}"#) == 0)
        #expect(Self.sample(text, #"bulkhead_segment_share{segment="majors"}"#).map { abs($0 - 1.0 / 3) < 1e-9 } == true)
        journal.release()
        #expect(try await first.status == 200)
    }

    @Test func aShedRequestChangesNothingAndItsRetryAppliesOnce() async throws {
        let journal = ScriptedJournal()
        let service = try await TestService.start(journal: journal) { $0.segmentMaxInFlight = 1 }
        defer { Task { await service.stop() } }
        journal.set(.hold)
        async let first = service.deposit("majors", "holder", "USDC", "1")
        await journal.waitForSubmits(Self.creations + 1)
        let body = #"{"account":"retry","asset":"USDC","amount":"250"}"#
        func keyed() async throws -> TestResponse {
            try await service.call(
                "POST", "/v1/segments/majors/collateral", key: TestKeys.trader, body: body, headers: [("Idempotency-Key", "shed-1")])
        }
        let shed = try await keyed()
        #expect(shed.status == 503)
        #expect(shed.errorCode == "segment_busy")
        journal.set(.normal)
        journal.release()
        #expect(try await first.status == 200)
        // Nothing of the shed request was applied or stored under its key.
        #expect(try journal.entries(segment: "majors", after: 0, limit: 100).count == 2)
        #expect(try await balance(service, "retry") == nil)
        let retried = try await keyed()
        #expect(retried.status == 200)
        #expect(retried.header("Idempotent-Replayed") == nil)
        let again = try await keyed()
        #expect(again.status == 200)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(try await balance(service, "retry") == "250")
        #expect(try journal.entries(segment: "majors", after: 0, limit: 100).count == 3)
    }

    /// The value of one Prometheus series in an exposition.
    static func sample(_ text: String, _ series: String) -> Double? {
        for line in text.split(separator: "\n") where line.hasPrefix(series + " ") {
            return Double(line.dropFirst(series.count + 1))
        }
        return nil
    }

    @Test func weightsAreReadFromOneSettingAndRefusedWhenMalformed() throws {
        #expect(try ServiceSettings.parseWeights("majors=3, alts = 2") == ["majors": 3, "alts": 2])
        #expect(try ServiceSettings.parseWeights("") == [:])
        #expect(throws: ConfigurationError.self) { try ServiceSettings.parseWeights("majors") }
        #expect(throws: ConfigurationError.self) { try ServiceSettings.parseWeights("majors=x") }
        #expect(throws: ConfigurationError.self) { try ServiceSettings.parseWeights("majors=1,majors=2") }
        var settings = ServiceSettings()
        settings.segmentWeights = ["majors": 1_001]
        #expect(throws: ConfigurationError.self) { try settings.validate() }
        settings.segmentWeights = ["majors": 1_000]
        #expect(throws: Never.self) { try settings.validate() }
        settings.segmentMaxInFlight = 4
        #expect(settings.inFlightBudget("majors") == 4_000)
        #expect(settings.inFlightBudget("other") == 4)
    }
}
