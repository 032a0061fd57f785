import Benchmark
import RiskEngine

// Stress runs (RISK.md "Stress and contagion") on generated books. The book is built in
// setup; each iteration runs the whole scenario on copies (segmented, then the monolithic
// twin) and keeps only the report. Peak resident memory minus the book's is the run's cost
// (the target: at most the live state again, i.e. ≤ 2× in all).
nonisolated(unsafe) var stressBooks: [String: [Segment]] = [:]

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(60)

    // ~1M positions in 10 segments (about 2.1 positions per account), one shock on ETH-USD
    // (listed by three segments) with the monolithic comparison.
    Benchmark(
        "Stress shock, ~1M positions in 10 segments, with monolithic twin",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta], maxDuration: .seconds(120), maxIterations: 3,
            setup: { stressBooks["shock"] = StressBookGenerator(accounts: 480_000, segments: 10, seed: 1).generate() },
            teardown: { stressBooks["shock"] = nil })
    ) { benchmark in
        let scenario = StressScenario(shocks: [StressShock(market: "ETH-USD", change: Amount("-0.43")!)])
        for _ in benchmark.scaledIterations {
            blackHole(try! StressRunner.run(book: stressBooks["shock"]!, scenario: scenario))
        }
    }

    // A 100-step path (−2% per step on BTC and ETH) over ~100k positions in 5 segments.
    Benchmark(
        "Stress path, 100 steps, ~100k positions in 5 segments, with monolithic twin",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResident, .peakMemoryResidentDelta], maxDuration: .seconds(120), maxIterations: 3,
            setup: { stressBooks["path"] = StressBookGenerator(accounts: 48_000, segments: 5, seed: 2).generate() },
            teardown: { stressBooks["path"] = nil })
    ) { benchmark in
        let step = [StressShock(market: "BTC-USD", change: Amount("-0.02")!), StressShock(market: "ETH-USD", change: Amount("-0.02")!)]
        let scenario = StressScenario(path: Array(repeating: step, count: 100))
        for _ in benchmark.scaledIterations {
            blackHole(try! StressRunner.run(book: stressBooks["path"]!, scenario: scenario))
        }
    }

    // What a live command waits for while a stress copy is taken: copying a segment value
    // (what the actor hands out) is a reference-count bump per buffer, independent of size.
    Benchmark(
        "Stress copy taken in the actor (one segment of ~100k positions)",
        configuration: .init(
            metrics: [.wallClock], scalingFactor: .kilo, maxDuration: .seconds(5),
            setup: { stressBooks["copy"] = StressBookGenerator(accounts: 250_000, segments: 5, seed: 3).generate() },
            teardown: { stressBooks["copy"] = nil })
    ) { benchmark in
        let live = stressBooks["copy"]![0]
        for _ in benchmark.scaledIterations {
            let copy = live
            blackHole(copy)
        }
    }
}
