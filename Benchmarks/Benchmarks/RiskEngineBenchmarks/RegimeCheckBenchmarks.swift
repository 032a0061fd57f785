import Benchmark
import RiskEngine

/// Issue #18: what the regime and event check (volatility estimate, mode with hysteresis and
/// cooldown, `mode_change` event, then the service's `takeEvents`) adds to a price tick. The
/// same tick on the same book, with and without it; the difference of the two medians is
/// the check's cost.
func regimeCheckBenchmarks() {
    for positions in [10_000, 100_000] {
        let with = 10 * positions + 1
        let without = 10 * positions + 2
        Benchmark(
            "Price tick + regime/event check (\(positions / 1000)k positions)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 5_000,
                setup: { tickSegments[with] = EngineFixture.segment(accounts: positions) },
                teardown: { tickSegments[with] = nil })
        ) { benchmark in
            measureRegimeTick(&tickSegments[with]!, regimes: true, benchmark)
        }
        Benchmark(
            "Price tick without regime/event check (\(positions / 1000)k positions)",
            configuration: .init(
                metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5), maxIterations: 5_000,
                setup: { tickSegments[without] = EngineFixture.segment(accounts: positions) },
                teardown: { tickSegments[without] = nil })
        ) { benchmark in
            measureRegimeTick(&tickSegments[without]!, regimes: false, benchmark)
        }
    }
}

/// One tick on market X (alternating 100 / 100.01, nobody liquidated), measured with the
/// service's `takeEvents` when the check runs.
func measureRegimeTick(_ segment: inout Segment, regimes: Bool, _ benchmark: Benchmark) {
    tickClock += 1
    let at = Timestamp(nanoseconds: EngineFixture.start.nanoseconds + tickClock * 1_000_000)
    let price = tickClock % 2 == 0 ? EngineFixture.amount("100") : EngineFixture.amount("100.01")
    let batch = PriceBatch(prices: [PriceInput(market: "X", price: price, timestamp: at, source: "a")], arrival: at)
    benchmark.startMeasurement()
    let outcome: PriceOutcome
    if regimes {
        outcome = segment.apply(batch)
        blackHole(segment.takeEvents())
    } else {
        outcome = segment.applyPricesWithoutRegimes(batch)
    }
    benchmark.stopMeasurement()
    precondition(outcome.liquidations.isEmpty && outcome.accepted.count == 1)
}
