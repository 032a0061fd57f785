/// Runs a scenario on copies of a book (RISK.md "Stress and contagion"): each shocked
/// segment on its own copy, then, if asked, the monolithic twin, through the live engine
/// code. The book values handed in are never mutated (copy-on-write: a segment's buffers are
/// copied only when its copy first changes), which the report proves with the state hash.
public enum StressRunner {
    /// Progress of a run: `done` of `total` steps (one step per shocked segment copy and path step).
    public typealias Progress = (_ done: Int, _ total: Int) -> Void

    /// `book`: the segments, in any order (rows come out by segment id). `at`: the time the
    /// scenario runs at (never before any segment's clock). `isCancelled` is polled before
    /// every step; when it answers true the run stops with `stress_timeout`.
    public static func run(
        book input: [Segment], scenario: StressScenario, limits: StressLimits = StressLimits(), at: Timestamp? = nil,
        progress: Progress = { _, _ in }, isCancelled: () -> Bool = { false }
    ) throws(StressError) -> StressReport {
        var book = input.sorted { $0.spec.id < $1.spec.id }
        if let ids = scenario.segments {
            var chosen: [Segment] = []
            for id in Set(ids).sorted() {
                guard let segment = book.first(where: { $0.spec.id == id }) else {
                    throw StressError(.unknownSegment, code: "unknown_segment", message: "segment '\(id)' does not exist")
                }
                chosen.append(segment)
            }
            book = chosen
        }
        try scenario.validate(book: book, limits: limits)
        let now = book.reduce(at ?? Timestamp(nanoseconds: 0)) { max($0, $1.clock) }
        let hashBefore = StressHash.of(book)
        let efficiency = CapitalEfficiency(book: book, at: now)

        // Resolve every shock to (segment, slot, change) once.
        var perSegment = [[Segment.StressStep]](repeating: [], count: book.count)
        for s in book.indices { perSegment[s] = Array(repeating: [], count: scenario.steps.count) }
        for (i, step) in scenario.steps.enumerated() {
            for shock in step {
                for s in try StressScenario.targets(of: shock, in: book, at: "step \(i)") {
                    guard let slot = book[s].marketSlot(shock.market) else { continue }
                    perSegment[s][i].append((Int(slot), shock.change.raw))
                }
            }
        }
        let shocked = book.indices.filter { s in perSegment[s].contains { !$0.isEmpty } }
        let total = scenario.steps.count * (shocked.count + (scenario.compareMonolithic ? 1 : 0))
        var done = 0
        let beforeStep = { () throws(StressError) -> Void in
            if isCancelled() { throw StressError(.cancelled, code: "stress_timeout", message: "the run passed stress.timeoutSeconds") }
            progress(done, total)
            done += 1
        }

        var rows: [StressFigures] = []
        for s in book.indices {
            guard shocked.contains(s) else {
                rows.append(book[s].untouchedFigures(now: now))
                continue
            }
            var copy = book[s]
            let homes = [Int](repeating: 0, count: copy.accounts.count)
            var figures = try copy.simulate(
                perSegment[s], now: now, rowCount: 1, rowOfMarket: Array(repeating: 0, count: copy.markets.count), homeRow: homes,
                beforeStep: beforeStep
            ).total
            figures.segment = copy.spec.id
            rows.append(figures)
        }
        let segmented = StressReport.Architecture(rows: rows, total: StressFigures.total(rows))

        var monolithic: StressReport.Architecture?
        var accountIds = 0
        if scenario.compareMonolithic {
            var twin = MonolithicTwin(book: book, now: now)
            let steps = scenario.steps.indices.map { i in
                book.indices.flatMap { s in perSegment[s][i].map { (market: twin.marketOffset[s] + $0.market, change: $0.change) } }
            }
            accountIds = twin.segment.accounts.count - 1
            var (byRow, total) = try twin.segment.simulate(
                steps, now: now, rowCount: book.count, rowOfMarket: twin.rowOfMarket, homeRow: twin.homeRow, beforeStep: beforeStep)
            for s in book.indices { byRow[s].segment = book[s].spec.id }
            monolithic = StressReport.Architecture(rows: byRow, total: total)
        }
        progress(total, total)
        return StressReport(
            segmented: segmented, monolithic: monolithic, capitalEfficiency: efficiency,
            stateHashBefore: hashBefore, stateHashAfter: StressHash.of(book),
            segmentAccounts: book.reduce(0) { $0 + $1.accounts.count - 1 }, accountIds: accountIds,
            positions: book.reduce(0) { $0 + $1.positionCount })
    }
}
