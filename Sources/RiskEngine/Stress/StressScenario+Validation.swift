/// Checks a scenario against the book before anything runs (RISK.md "Stress and contagion").
/// Every failure names the offending step and shock; nothing is copied before this passes.
extension StressScenario {
    /// Throws the first problem: `scenario_shocks_and_path`, `scenario_empty`,
    /// `too_many_steps`, `invalid_change` (≤ −1), `unknown_market`, `segment_not_in_book`,
    /// `market_has_no_price`, `duplicate_shock`, `book_too_large`.
    public func validate(book: [Segment], limits: StressLimits) throws(StressError) {
        if shocks != nil && path != nil {
            throw .invalid("scenario_shocks_and_path", "give exactly one of 'shocks' or 'path', not both")
        }
        let steps = self.steps
        guard !steps.isEmpty, steps.contains(where: { !$0.isEmpty }) else {
            throw .invalid("scenario_empty", "the scenario needs 'shocks' or a non-empty 'path'")
        }
        guard steps.count <= limits.maxSteps else {
            throw .invalid("too_many_steps", "the path has \(steps.count) steps; stress.maxSteps is \(limits.maxSteps)")
        }
        guard !book.isEmpty else { throw .invalid("scenario_empty", "the book has no segment") }
        let positions = book.reduce(0) { $0 + $1.positionCount }
        guard positions <= limits.maxPositions else {
            throw .invalid("book_too_large", "the book holds \(positions) positions; stress.maxPositions is \(limits.maxPositions)")
        }
        for (s, step) in steps.enumerated() {
            var targeted = Set<String>()
            for (i, shock) in step.enumerated() {
                let at = shocks != nil ? "shocks[\(i)]" : "path[\(s)][\(i)]"
                guard shock.change.raw > -Amount.unitRaw else {
                    throw .invalid("invalid_change", "\(at).change must be greater than -1 (got \(shock.change))")
                }
                let targets = try Self.targets(of: shock, in: book, at: at)
                for segment in targets {
                    guard book[segment].indexPrice(market: shock.market) != nil else {
                        throw .invalid("market_has_no_price", "\(at): market '\(shock.market)' has no index price in segment '\(book[segment].spec.id)'")
                    }
                    guard targeted.insert(book[segment].spec.id + "/" + shock.market).inserted else {
                        throw .invalid("duplicate_shock", "\(at): market '\(shock.market)' of segment '\(book[segment].spec.id)' is shocked twice in one step")
                    }
                }
            }
        }
    }

    /// The book indices a shock applies to: its segment, or every segment listing the market.
    static func targets(of shock: StressShock, in book: [Segment], at: String) throws(StressError) -> [Int] {
        if let id = shock.segment {
            guard let s = book.firstIndex(where: { $0.spec.id == id }) else {
                throw .invalid("segment_not_in_book", "\(at).segment '\(id)' is not a segment of the book")
            }
            guard book[s].marketSlot(shock.market) != nil else {
                throw .invalid("unknown_market", "\(at): market '\(shock.market)' does not exist in segment '\(id)'")
            }
            return [s]
        }
        let all = book.indices.filter { book[$0].marketSlot(shock.market) != nil }
        guard !all.isEmpty else { throw .invalid("unknown_market", "\(at): no segment of the book lists market '\(shock.market)'") }
        return all
    }
}

extension Segment {
    /// Open positions held by accounts (the insurance fund's included), as `stress.maxPositions` counts them.
    public var positionCount: Int { markets.reduce(0) { $0 + $1.holders.count } }
}
