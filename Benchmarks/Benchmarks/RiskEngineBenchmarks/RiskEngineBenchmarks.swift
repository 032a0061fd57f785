import Benchmark
import RiskEngine

// Shared state for the measured closures (the harness runs benchmarks one at a time).
nonisolated(unsafe) var fillSegment: Segment?
nonisolated(unsafe) var fillCommands: [FillCommand] = []
nonisolated(unsafe) var tickSegments: [Int: Segment] = [:]
nonisolated(unsafe) var tickClock: Int64 = 0
nonisolated(unsafe) var snapshotBytes: [UInt8] = []

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration.maxDuration = .seconds(5)

    // Fills on a segment with 100k accounts (each already holding a position): alternately
    // +0.1 and −0.1 per account, so fills increase and reduce positions through the public API.
    Benchmark(
        "Fill (100k accounts)",
        configuration: .init(
            metrics: [.throughput, .wallClock, .mallocCountTotal], scalingFactor: .kilo, maxDuration: .seconds(5),
            setup: {
                let accounts = 100_000
                fillSegment = EngineFixture.segment(accounts: accounts)
                let step = EngineFixture.amount("0.1")
                fillCommands = (0..<(2 * accounts)).map { k in
                    let i = k % accounts
                    return FillCommand(
                        account: EngineFixture.accountId(i), market: "X", size: k < accounts ? step : step.negated,
                        price: EngineFixture.amount("100"), arrival: EngineFixture.start)
                }
            },
            teardown: {
                fillSegment = nil
                fillCommands = []
            })
    ) { benchmark in
        var k = 0
        let count = fillCommands.count
        for _ in benchmark.scaledIterations {
            blackHole(try! fillSegment!.apply(fillCommands[k]))
            k += 1
            if k == count { k = 0 }
        }
    }

    // One price update on market X with N open positions there (nobody liquidatable).
    for positions in [10_000, 100_000, 1_000_000] {
        Benchmark(
            "Price tick (\(positions / 1000)k positions)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 2_000,
                setup: { tickSegments[positions] = EngineFixture.segment(accounts: positions) },
                teardown: { tickSegments[positions] = nil })
        ) { benchmark in
            measureTick(segment: positions, benchmark)
        }
    }

    // The first tick after many changes (here: a freshly built book) indexes the market's
    // holders by liquidation threshold before it can look at only the crossed ones.
    for positions in [10_000, 100_000, 1_000_000] {
        let key = positions + 1
        Benchmark(
            "Price tick with index rebuild (\(positions / 1000)k positions)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 200,
                setup: { tickSegments[key] = EngineFixture.segment(accounts: positions) },
                teardown: { tickSegments[key] = nil })
        ) { benchmark in
            var fresh = tickSegments[key]!  // a copy whose index was never built
            measureTick(&fresh, benchmark)
        }
    }

    // One price update on market X while a raised maintenance multiplier ramps in (every
    // account with a position must be re-checked), with N accounts each holding one position
    // (X) or two (X and Y).
    for (accounts, both) in [(10_000, false), (100_000, false), (10_000, true), (100_000, true)] {
        let key = both ? -2 * accounts : -accounts
        Benchmark(
            "Price tick during ramp (\(accounts / 1000)k accounts, \(both ? 2 : 1) position\(both ? "s" : ""))",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 2_000,
                setup: {
                    var segment = EngineFixture.segment(accounts: accounts, both: both)
                    segment.setModeOverride(.elevated, arrival: EngineFixture.start)
                    tickSegments[key] = segment
                },
                teardown: { tickSegments[key] = nil })
        ) { benchmark in
            measureTick(segment: key, benchmark)
        }
    }

    // Memory: build 1M accounts with one open position each, then tick once so the market's
    // liquidation index exists too; peak RSS / 1M ≈ bytes per position.
    Benchmark(
        "Build 1M positions (memory)",
        configuration: .init(
            metrics: [.peakMemoryResident, .peakMemoryResidentDelta, .mallocCountTotal, .wallClock],
            maxDuration: .seconds(60), maxIterations: 1)
    ) { _ in
        var segment = EngineFixture.segment(accounts: 1_000_000)
        let at = Timestamp(nanoseconds: EngineFixture.start.nanoseconds + 1_000_000)
        segment.apply(PriceBatch(prices: [PriceInput(market: "X", price: EngineFixture.amount("100.01"), timestamp: at, source: "a")], arrival: at))
        blackHole(segment)
    }

    // Recovery's first half: rebuild a segment with 1M open positions from its snapshot bytes
    // (what `bulkhead serve` does before replaying the journal tail).
    Benchmark(
        "Restore snapshot (1M positions)",
        configuration: .init(
            metrics: [.wallClock, .peakMemoryResidentDelta], maxDuration: .seconds(60), maxIterations: 3,
            setup: { snapshotBytes = EngineFixture.segment(accounts: 1_000_000).snapshot() },
            teardown: { snapshotBytes = [] })
    ) { _ in
        blackHole(try! Segment(snapshot: snapshotBytes))
    }

    regimeCheckBenchmarks()
}

/// One price update on market X of `tickSegments[key]`, alternating 100 / 100.01 so every
/// tick moves the index; only `apply` is measured, and nobody may be liquidated.
func measureTick(segment key: Int, _ benchmark: Benchmark) {
    measureTick(&tickSegments[key]!, benchmark)
}

func measureTick(_ segment: inout Segment, _ benchmark: Benchmark) {
    tickClock += 1
    let at = Timestamp(nanoseconds: EngineFixture.start.nanoseconds + tickClock * 1_000_000)
    let price = tickClock % 2 == 0 ? EngineFixture.amount("100") : EngineFixture.amount("100.01")
    let batch = PriceBatch(prices: [PriceInput(market: "X", price: price, timestamp: at, source: "a")], arrival: at)
    benchmark.startMeasurement()
    let outcome = segment.apply(batch)
    benchmark.stopMeasurement()
    precondition(outcome.liquidations.isEmpty && outcome.accepted.count == 1)
}
