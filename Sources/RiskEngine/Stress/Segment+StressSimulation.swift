/// One scenario on one copy (a segment of the book or the monolithic twin), through
/// `applyShock`, i.e. the live liquidation, bankruptcy and socialization code, then the
/// figures of RISK.md "Stress and contagion" measured from the accounts before and after.
extension Segment {
    /// A step as market slots of this segment and relative changes (raw fixed-point).
    typealias StressStep = [(market: Int, change: Int128)]

    /// Runs `steps` at `now` and tallies each decision into the row of its market
    /// (`rowOfMarket`); market-less decisions, contagion and unaffected accounts go to the
    /// account's earlier liquidation row, else its home row (`homeRow`, by account index).
    /// `beforeStep` is called before each step (progress, time limit).
    mutating func simulate(
        _ steps: [StressStep], now: Timestamp, rowCount: Int, rowOfMarket: [Int], homeRow: [Int],
        beforeStep: () throws(StressError) -> Void
    ) throws(StressError) -> (rows: [StressFigures], total: StressFigures) {
        bankruptcyRecord = []
        liquidationRetention = 0  // a copy needs no history: decisions are tallied as they come
        let before = equities(now: now)
        var exposed = [Bool](repeating: false, count: accounts.count)
        for step in steps {
            for shock in step { for holder in markets[shock.market].holders { exposed[Int(holder)] = true } }
        }
        var rows = (0..<rowCount).map { _ in StressFigures() }
        var fundDelta = [Int128](repeating: 0, count: rowCount)
        var liquidated = [Bool](repeating: false, count: accounts.count)
        var lastRow = [Int](repeating: -1, count: accounts.count)
        var countedInRow = Set<Int>()
        var total = StressFigures()

        for step in steps {
            try beforeStep()
            var prices: [String: Amount] = [:]
            for m in markets.indices { if let index = markets[m].index { prices[markets[m].id] = Amount(fixed: index) } }
            for shock in step {
                guard let index = markets[shock.market].index else { continue }
                let moved = (try? Fixed.mul(index, Fixed.unit + shock.change, .down)) ?? index
                prices[markets[shock.market].id] = Amount(fixed: max(moved, 1))  // a price stays > 0
            }
            let decisions: [LiquidationDecision]
            do {
                decisions = try applyShock(prices: prices, arrival: now)
            } catch {
                throw StressError.invalid(error.code, error.message)
            }
            for d in decisions {
                guard let index = accountIndex[d.account].map(Int.init) else { continue }
                var row = lastRow[index] >= 0 ? lastRow[index] : homeRow[index]
                if !d.market.isEmpty, let m = marketSlot(d.market) {
                    row = rowOfMarket[Int(m)]
                    lastRow[index] = row
                    rows[row].liquidationSteps += 1
                    total.liquidationSteps += 1
                    if !liquidated[index] { liquidated[index] = true; total.accountsLiquidated += 1 }
                    if countedInRow.insert(index &* rowCount &+ row).inserted { rows[row].accountsLiquidated += 1 }
                }
                rows[row].badDebt = Amount(fixed: rows[row].badDebt.raw + d.badDebt.raw)
                rows[row].lossSocialized = Amount(fixed: rows[row].lossSocialized.raw + d.socializedLoss.raw)
                fundDelta[row] += d.insuranceFundDelta.raw
            }
        }

        var bankrupt = [Bool](repeating: false, count: accounts.count)
        for index in bankruptcyRecord ?? [] where !bankrupt[Int(index)] {
            bankrupt[Int(index)] = true
            let i = Int(index)
            rows[lastRow[i] >= 0 ? lastRow[i] : homeRow[i]].accountsBankrupt += 1
            total.accountsBankrupt += 1
        }
        bankruptcyRecord = nil
        let after = equities(now: now)
        for i in 1..<max(accounts.count, 1) {
            let loss = before[i] - after[i]
            if !exposed[i], loss > 0 {
                rows[homeRow[i]].contagionLoss = Amount(fixed: rows[homeRow[i]].contagionLoss.raw + loss)
            }
            if loss <= 0, !liquidated[i], !bankrupt[i] { rows[homeRow[i]].accountsUnaffected += 1 }
        }
        let fundAfter = max(after[0], 0)
        for r in rows.indices {
            rows[r].insuranceFundUsed = Amount(fixed: max(-fundDelta[r], 0))
            rows[r].insuranceFundAfter = Amount(fixed: fundAfter)  // one fund per simulated segment
            rows[r].modeAfter = currentMode
            total.badDebt = Amount(fixed: total.badDebt.raw + rows[r].badDebt.raw)
            total.lossSocialized = Amount(fixed: total.lossSocialized.raw + rows[r].lossSocialized.raw)
            total.contagionLoss = Amount(fixed: total.contagionLoss.raw + rows[r].contagionLoss.raw)
            total.accountsUnaffected += rows[r].accountsUnaffected
        }
        total.insuranceFundUsed = Amount(fixed: max(before[0] - after[0], 0))
        total.insuranceFundAfter = Amount(fixed: fundAfter)
        total.modeAfter = currentMode
        return (rows, total)
    }

    /// Equity of every account by index (index 0: the insurance fund), valued at `now`.
    func equities(now: Timestamp) -> [Int128] {
        let context = ValuationContext(segment: self, now: now)
        return accounts.map { safeValuation($0, context)?.equity ?? 0 }
    }

    /// The figures of a segment no shock touches: nothing moves, every account is unaffected.
    func untouchedFigures(now: Timestamp) -> StressFigures {
        var figures = StressFigures(segment: spec.id)
        figures.accountsUnaffected = accounts.count - 1
        figures.insuranceFundAfter = Amount(fixed: max(insuranceEquity(now: now), 0))
        figures.modeAfter = currentMode
        return figures
    }
}
