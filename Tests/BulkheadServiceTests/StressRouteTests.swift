@testable import BulkheadService
import Foundation
import RiskEngine
import Testing

/// `POST /v1/stress` over real sockets (API.md "Stress", issue 13): the report is the
/// engine's for the live book, the run never touches live state, every bad scenario has its
/// own 4xx, the limits answer 422 / 503, and fills go on — unchanged — while a run is held.
@Suite struct StressRouteTests {
    static let ethCrash = #"{"shocks": [{"market": "ETH-USD", "change": "-0.43"}], "compare": "monolithic"}"#

    /// majors: ETH 2000, BTC 60000; alice 1000 USDC long 4 ETH, bob 5000 USDC long 1 BTC.
    /// alts: SOL 150; carol 1000 USDC long 10 SOL.
    func seed(_ service: TestService) async throws {
        #expect(try await service.price("majors", [("ETH-USD", "2000"), ("BTC-USD", "60000")]).status == 200)
        #expect(try await service.price("alts", [("SOL-USD", "150")]).status == 200)
        for (segment, account, amount) in [("majors", "alice", "1000"), ("majors", "bob", "5000"), ("alts", "carol", "1000")] {
            #expect(try await service.deposit(segment, account, "USDC", amount).status == 200)
        }
        #expect(try await service.fill("majors", "alice", "ETH-USD", size: "4", price: "2000").status == 200)
        #expect(try await service.fill("majors", "bob", "BTC-USD", size: "1", price: "60000").status == 200)
        #expect(try await service.fill("alts", "carol", "SOL-USD", size: "10", price: "150").status == 200)
    }

    /// Every live segment's state hash, by id.
    func liveHashes(_ service: TestService) async -> [UInt64] {
        var hashes: [UInt64] = []
        for engine in service.app.responder.registry.all { hashes.append(await engine.stateHash()) }
        return hashes
    }

    func stress(_ service: TestService, _ body: String, key: String = TestKeys.reader) async throws -> TestResponse {
        try await service.call("POST", "/v1/stress", key: key, body: body)
    }

    /// The engine's report for `body` on the live segments' current state (read only).
    func engineReport(_ service: TestService, _ body: String) async throws -> String {
        var book: [Segment] = []
        for engine in service.app.responder.registry.all { book.append(await engine.stressCopy()) }
        let request = try StressRequest(json: try JSONReader.parse(Array(body.utf8)))
        let report = try StressRunner.run(book: book, scenario: request.scenario, at: service.clock.now())
        var json = JSONWriter(capacity: 4096)
        report.writeJSON(to: &json)
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// ETH −43% on majors: alice (E = 1000 + 4·(1140 − 2000) = −2440) is liquidated and
    /// bankrupt, the fund covers her, bob and carol are untouched; both architectures agree
    /// (no account id spans two segments), and the live book does not move.
    @Test func runsOnCopiesAndLeavesTheLiveStateAlone() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        try await seed(service)
        let hashes = await liveHashes(service)
        let alice = try await service.call("GET", "/v1/segments/majors/accounts/alice", key: TestKeys.reader).text
        let response = try await stress(service, Self.ethCrash)
        #expect(response.status == 200, "\(response.text)")
        #expect(response.text == (try await engineReport(service, Self.ethCrash)))
        let report = response.json
        let segmented = try #require(report["segmented"] as? [String: Any])
        let rows = try #require(segmented["segments"] as? [[String: Any]])
        #expect(rows.map { $0["segment"] as? String } == ["alts", "majors", "stable"])
        let majors = rows[1]
        #expect(majors["accountsLiquidated"] as? Int == 1 && majors["accountsBankrupt"] as? Int == 1)
        #expect(majors["accountsUnaffected"] as? Int == 1 && majors["contagionLoss"] as? String == "0")
        #expect(rows[0]["liquidationSteps"] as? Int == 0 && rows[0]["accountsUnaffected"] as? Int == 1)
        let monolithic = try #require(report["monolithic"] as? [String: Any])
        #expect((monolithic["total"] as? [String: Any])?["accountsLiquidated"] as? Int == 1)
        #expect((monolithic["bySourceSegment"] as? [[String: Any]])?.count == 3)
        // IM = 4·2000·0.05 + 60000·0.05 + 10·150·0.1; no unrealized PnL yet.
        let efficiency = try #require(report["capitalEfficiency"] as? [String: Any])
        #expect(efficiency["segmentedCollateralRequired"] as? String == "3550")
        #expect(efficiency["monolithicCollateralRequired"] as? String == "3550")
        #expect(report["stateHashBefore"] as? String == report["stateHashAfter"] as? String)
        #expect(await liveHashes(service) == hashes)
        #expect(try await service.call("GET", "/v1/segments/majors/accounts/alice", key: TestKeys.reader).text == alice)
    }

    /// Without `segments`, the book is the key's scope: an alts-only key gets only alts; no
    /// `compare`, no monolithic section.
    @Test func theDefaultBookIsTheKeysScope() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        try await seed(service)
        let response = try await stress(service, #"{"shocks": [{"market": "SOL-USD", "change": "-0.5"}]}"#, key: TestKeys.readerAlts)
        #expect(response.status == 200, "\(response.text)")
        let rows = try #require((response.json["segmented"] as? [String: Any])?["segments"] as? [[String: Any]])
        #expect(rows.map { $0["segment"] as? String } == ["alts"])
        #expect(response.json["monolithic"] == nil)
    }

    /// Every bad scenario of the issue and API.md: its status and code, and no live segment moves.
    @Test func everyBadScenarioIsRefusedAndChangesNothing() async throws {
        let service = try await TestService.start { $0.stressMaxSteps = 2 }
        defer { Task { await service.stop() } }
        try await seed(service)
        let hashes = await liveHashes(service)
        let eth = #"{"market": "ETH-USD", "change": "-0.1"}"#
        let cases: [(key: String, body: String, status: Int, code: String)] = [
            (TestKeys.reader, #"{"shocks": [{"market": "ETH-USD", "change": "-1"}]}"#, 422, "invalid_change"),
            (TestKeys.reader, #"{"path": [[{"market": "ETH-USD", "change": "-1.5"}]]}"#, 422, "invalid_change"),
            (TestKeys.reader, #"{"shocks": [{"market": "NOPE-USD", "change": "0.1"}]}"#, 422, "unknown_market"),
            (TestKeys.reader, #"{"shocks": [{"segment": "alts", "market": "ETH-USD", "change": "0.1"}]}"#, 422, "unknown_market"),
            (TestKeys.reader, #"{"shocks": [\#(eth)], "path": [[\#(eth)]]}"#, 422, "scenario_shocks_and_path"),
            (TestKeys.reader, #"{"path": [[\#(eth)], [\#(eth)], [\#(eth)]]}"#, 422, "too_many_steps"),
            (TestKeys.reader, #"{}"#, 422, "scenario_empty"),
            (TestKeys.reader, #"{"segments": ["majors"], "shocks": [{"segment": "alts", "market": "SOL-USD", "change": "0.1"}]}"#, 422, "segment_not_in_book"),
            (TestKeys.reader, #"{"shocks": [\#(eth), \#(eth)]}"#, 422, "duplicate_shock"),
            (TestKeys.reader, #"{"segments": ["nowhere"], "shocks": [\#(eth)]}"#, 404, "unknown_segment"),
            (TestKeys.readerAlts, #"{"segments": ["majors"], "shocks": [\#(eth)]}"#, 403, "forbidden"),
            (TestKeys.readerAlts, #"{"shocks": [{"segment": "majors", "market": "ETH-USD", "change": "-0.1"}]}"#, 403, "forbidden"),
            (TestKeys.reader, #"{"shocks": [{"market": "ETH-USD", "change": -0.1}]}"#, 400, "invalid_amount"),
            (TestKeys.reader, #"{"shocks": [{"market": "ETH-USD"}]}"#, 400, "missing_field"),
            (TestKeys.reader, #"{"shocks": {"market": "ETH-USD"}}"#, 400, "invalid_field"),
            (TestKeys.reader, #"{"shocks": [\#(eth)], "compare": "twin"}"#, 400, "invalid_field"),
            (TestKeys.reader, #"[1]"#, 400, "invalid_json"),
            (TestKeys.reader, #"{"shocks": "#, 400, "invalid_json"),
        ]
        for c in cases {
            let response = try await stress(service, c.body, key: c.key)
            #expect(response.status == c.status, "\(c.body) → \(response.text)")
            #expect(response.errorCode == c.code, "\(c.body) → \(response.text)")
        }
        #expect(await liveHashes(service) == hashes)
    }

    /// `stress.maxPositions`: 422 `book_too_large` before anything runs.
    @Test func aBookPastMaxPositionsIs422() async throws {
        let service = try await TestService.start { $0.stressMaxPositions = 2 }
        defer { Task { await service.stop() } }
        try await seed(service)
        let response = try await stress(service, Self.ethCrash)
        #expect(response.status == 422 && response.errorCode == "book_too_large", "\(response.text)")
        #expect(response.json["error"].map { "\($0)".contains("stress.maxPositions") } == true)
    }

    /// `stress.timeoutSeconds`: a clock that moves 1 s per read passes a 0.5 s deadline at the
    /// run's first step → 503 `stress_timeout` with Retry-After; nothing live moved.
    @Test func aRunPastTheTimeLimitIs503WithRetryAfter() async throws {
        let service = try await TestService.start(elapsedClock: ScriptedElapsedClock(step: 1_000_000_000)) { $0.stressTimeoutSeconds = 0.5 }
        defer { Task { await service.stop() } }
        try await seed(service)
        let hashes = await liveHashes(service)
        let response = try await stress(service, Self.ethCrash)
        #expect(response.status == 503 && response.errorCode == "stress_timeout", "\(response.text)")
        #expect(response.header("Retry-After") == "1")
        #expect(await liveHashes(service) == hashes)
    }

    /// A run held after its copies are taken: a second run is refused (`stress.maxConcurrent`
    /// = 1: 503 `stress_busy`), fills go on and answer byte for byte as on a twin service that
    /// never ran a scenario, and the held run reports the book as it was copied.
    @Test func fillsDuringARunAreAnsweredAsWithoutIt() async throws {
        let clock = ScriptedElapsedClock(holdAt: 2)
        let service = try await TestService.start(elapsedClock: clock) { $0.stressMaxConcurrent = 1 }
        defer { Task { await service.stop() } }
        let reference = try await TestService.start()
        defer { Task { await reference.stop() } }
        try await seed(service)
        try await seed(reference)
        let expectedReport = try await engineReport(reference, Self.ethCrash)

        let held = Task { try await stress(service, Self.ethCrash) }
        try await clock.waitUntilHeld()
        let busy = try await stress(service, Self.ethCrash)
        #expect(busy.status == 503 && busy.errorCode == "stress_busy", "\(busy.text)")
        #expect(busy.header("Retry-After") == "1")
        let fills: [(String, String, String, String, String)] = [
            ("majors", "alice", "ETH-USD", "-1", "2000"), ("majors", "bob", "ETH-USD", "0.5", "1990"),
            ("alts", "carol", "SOL-USD", "-3", "151"), ("majors", "alice", "BTC-USD", "100", "60000"),
        ]
        for (segment, account, market, size, price) in fills {
            let live = try await service.fill(segment, account, market, size: size, price: price)
            let quiet = try await reference.fill(segment, account, market, size: size, price: price)
            #expect(live.status == quiet.status && live.text == quiet.text, "\(account) \(market) \(size)")
        }
        clock.release()
        let report = try await held.value
        #expect(report.status == 200, "\(report.text)")
        #expect(report.text == expectedReport)
        #expect(await liveHashes(service) == (await liveHashes(reference)))
    }

    /// The route's answer is, byte for byte, what `bulkhead stress --data DIR --json` prints
    /// for the same book (recovered from the same journal) and the same scenario file.
    @Test func theAnswerIsTheCLIReportForTheSameBook() async throws {
        let binary = TestService.repoRoot + "/.build/debug/bulkhead"
        try #require(FileManager.default.isExecutableFile(atPath: binary), "build the bulkhead executable first")
        let service = try await TestService.start()
        try await seed(service)
        let scenario = TestService.repoRoot + "/Config/scenarios/eth-black-thursday-2020-03-12.json"
        let body = try String(contentsOfFile: scenario, encoding: .utf8)
        let answer = try await stress(service, body)
        #expect(answer.status == 200, "\(answer.text)")
        await service.stop()

        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["stress", "--data", service.dataDirectory, "--scenario", scenario, "--json"]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = Pipe()
        try process.run()
        let printed = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(String(decoding: printed, as: UTF8.self).trimmingCharacters(in: .newlines) == answer.text)
    }
}

/// The `stress.*` settings (#13): read from service.json and the environment, bounded.
@Suite struct StressSettingsTests {
    @Test func stressSettingsLoadAndAreBounded() throws {
        let temporary = try TemporaryFolder("stress-settings")
        defer { withExtendedLifetime(temporary) {} }
        let folder = temporary.path
        try #"{"stress": {"maxSteps": 50, "maxPositions": 1000, "timeoutSeconds": 2.5}}"#
            .write(toFile: folder + "/service.json", atomically: true, encoding: .utf8)
        let loaded = try ServiceSettings.load(flags: ["config": .string(folder)], environment: ["BULKHEAD_STRESS_MAX_CONCURRENT": "3"])
        #expect(loaded.stressMaxSteps == 50 && loaded.stressMaxPositions == 1000)
        #expect(loaded.stressTimeoutSeconds == 2.5 && loaded.stressMaxConcurrent == 3)
        let defaults = ServiceSettings()
        #expect(defaults.stressMaxSteps == 1_000 && defaults.stressMaxPositions == 2_000_000)
        #expect(defaults.stressTimeoutSeconds == 30 && defaults.stressMaxConcurrent == 1)
        for (key, value) in [("BULKHEAD_STRESS_MAX_STEPS", "0"), ("BULKHEAD_STRESS_TIMEOUT_SECONDS", "0"), ("BULKHEAD_STRESS_MAX_CONCURRENT", "1000")] {
            #expect { try ServiceSettings.load(flags: [:], environment: [key: value]) } throws: { "\($0)".contains(key) }
        }
    }
}
