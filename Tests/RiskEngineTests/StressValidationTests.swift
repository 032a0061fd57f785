import Testing
@testable import RiskEngine

/// Every bad scenario is refused before anything runs, with its own code.
@Suite struct StressValidationTests {
    static let eth = StressShock(market: "ETH-USD", change: a("-0.1"))

    func refusal(_ scenario: StressScenario, limits: StressLimits = StressLimits()) throws -> StressError? {
        let book = try StressHandBookTests.book()
        do {
            _ = try StressRunner.run(book: book, scenario: scenario, limits: limits)
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: ["-1", "-1.5", "-100"])
    func changeAtOrBelowMinusOneIsRefused(change: String) throws {
        let error = try refusal(StressScenario(shocks: [StressShock(market: "ETH-USD", change: a(change))]))
        #expect(error?.code == "invalid_change" && error?.kind == .invalid)
        #expect(error?.message.contains("shocks[0].change") == true)
    }

    @Test func unknownMarketIsRefused() throws {
        #expect(try refusal(StressScenario(shocks: [StressShock(market: "NOPE-USD", change: a("0.1"))]))?.code == "unknown_market")
        // A market that exists elsewhere but not in the named segment.
        #expect(try refusal(StressScenario(shocks: [StressShock(segment: "stable", market: "ETH-USD", change: a("0.1"))]))?.code == "unknown_market")
    }

    @Test func shocksAndPathTogetherAreRefused() throws {
        let error = try refusal(StressScenario(shocks: [Self.eth], path: [[Self.eth]]))
        #expect(error?.code == "scenario_shocks_and_path")
    }

    @Test func emptyScenarioIsRefused() throws {
        #expect(try refusal(StressScenario())?.code == "scenario_empty")
        #expect(try refusal(StressScenario(path: [[], []]))?.code == "scenario_empty")
    }

    @Test func tooManyStepsAreRefused() throws {
        let path = Array(repeating: [Self.eth], count: 3)
        #expect(try refusal(StressScenario(path: path), limits: StressLimits(maxSteps: 2))?.code == "too_many_steps")
        #expect(try refusal(StressScenario(path: path), limits: StressLimits(maxSteps: 3)) == nil)
    }

    @Test func bookTooLargeIsRefused() throws {
        // The hand book holds 5 positions.
        #expect(try refusal(StressScenario(shocks: [Self.eth]), limits: StressLimits(maxPositions: 4))?.code == "book_too_large")
    }

    @Test func segmentsOutsideTheBookAreRefused() throws {
        let scoped = StressScenario(segments: ["stable"], shocks: [StressShock(segment: "majors", market: "ETH-USD", change: a("0.1"))])
        #expect(try refusal(scoped)?.code == "segment_not_in_book")
        let unknown = try refusal(StressScenario(segments: ["nowhere"], shocks: [Self.eth]))
        #expect(unknown?.code == "unknown_segment" && unknown?.kind == .unknownSegment)
    }

    @Test func duplicateShockInOneStepIsRefused() throws {
        let twice = StressScenario(shocks: [Self.eth, StressShock(segment: "majors", market: "ETH-USD", change: a("0.1"))])
        #expect(try refusal(twice)?.code == "duplicate_shock")
    }

    @Test func cancelledRunStopsWithTimeout() throws {
        let book = try StressHandBookTests.book()
        #expect(throws: StressError(.cancelled, code: "stress_timeout", message: "the run passed stress.timeoutSeconds")) {
            try StressRunner.run(book: book, scenario: StressScenario(shocks: [Self.eth]), isCancelled: { true })
        }
    }
}
