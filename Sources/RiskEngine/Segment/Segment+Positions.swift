/// Position arithmetic shared by fills and liquidation transfers, and the bookkeeping that
/// keeps holder lists and open interest in step with accounts.
extension Segment {
    /// Applies a signed size change at `price` (RISK.md "Fills"): increasing takes the
    /// weighted-average entry (rounded to 8 digits: up for longs, down for shorts, i.e. against
    /// the holder); reducing realizes `(price − entry)·closed` (rounded down) into the
    /// settlement balance with the entry unchanged; flipping closes, then opens the rest at
    /// `price`. New positions carry holder slot −1 until `commit` registers them.
    ///
    /// Returns the rounding residual (≥ 0, exact): the value the account lost to rounding —
    /// realized PnL rounded down, or `|q|·(rounded entry − exact average entry)` on an
    /// increase. The caller hands it to the segment (`collectResidual`): never created, never lost.
    @discardableResult
    static func trade(_ account: inout Account, market: Int32, delta: Int128, price: Int128) throws(AmountError) -> ExactValue {
        guard delta != 0 else { return .zero }
        guard let i = account.positionIndex(market: market) else {
            let new = try Fixed.checked(delta)
            var at = account.positions.endIndex
            for j in account.positions.indices where account.positions[j].market > market { at = j; break }
            account.positions.insert(Position(market: market, holderSlot: -1, size: new, entry: price), at: at)
            return .zero
        }
        let old = account.positions[i].size
        let entry = account.positions[i].entry
        let new = try Fixed.checked(old + delta)
        let sameSide = new != 0 && (new > 0) == (old > 0)
        if new == 0 || (sameSide && new.magnitude < old.magnitude) {
            let realized = try ExactValue.product(old - new, price - entry)
            account.settlement = try Fixed.checked(account.settlement + realized.roundedDown)
            if new == 0 { account.positions.remove(at: i) } else { account.positions[i].size = new }
            return ExactValue(units: 0, dust: realized.dust)
        } else if sameSide {
            let average = try Fixed.weightedAverage(
                Int128(old.magnitude), entry, Int128(delta.magnitude), price, over: Int128(new.magnitude), new > 0 ? .up : .down)
            account.positions[i].size = new
            account.positions[i].entry = average
            // Cost basis kept minus cost basis paid: ≥ 0 since the entry rounds against the holder.
            let kept = try ExactValue.product(Int128(new.magnitude), average)
            let paid = try ExactValue.product(Int128(old.magnitude), entry) + ExactValue.product(Int128(delta.magnitude), price)
            return new > 0 ? try kept - paid : try paid - kept
        } else {
            let realized = try ExactValue.product(old, price - entry)
            account.settlement = try Fixed.checked(account.settlement + realized.roundedDown)
            account.positions[i].size = new
            account.positions[i].entry = price
            return ExactValue(units: 0, dust: realized.dust)
        }
    }

    /// Takes a rounding residual into the segment: whole units go to the insurance fund's
    /// settlement balance at once, the sub-unit rest waits in `roundingDust` (persisted) until
    /// it makes a unit. So Σ exact value over all accounts + `roundingDust` is conserved exactly.
    mutating func collectResidual(_ residual: ExactValue) {
        guard !residual.isZero, !residual.isNegative else { return }
        guard let total = try? ExactValue(units: 0, dust: roundingDust) + residual else { return }
        accounts[Int(Self.insurance)].settlement += total.units
        roundingDust = total.dust
    }

    /// Long and short totals of a market after an account's size there goes `old` → `new`.
    func openInterest(market m: Int, old: Int128, new: Int128) -> (long: Int128, short: Int128) {
        let long = markets[m].longSize - max(old, 0) + max(new, 0)
        let short = markets[m].shortSize - max(-old, 0) + max(-new, 0)
        return (long, short)
    }

    /// Stores a new version of an account, updating holder lists and open interest.
    mutating func commit(_ index: Int32, _ updated: Account) {
        var new = updated
        let old = accounts[Int(index)]
        // Open interest: every market either version holds.
        for p in old.positions {
            let size = new.size(market: p.market)
            let oi = openInterest(market: Int(p.market), old: p.size, new: size)
            markets[Int(p.market)].longSize = oi.long
            markets[Int(p.market)].shortSize = oi.short
        }
        for p in new.positions where old.positionIndex(market: p.market) == nil {
            let oi = openInterest(market: Int(p.market), old: 0, new: p.size)
            markets[Int(p.market)].longSize = oi.long
            markets[Int(p.market)].shortSize = oi.short
        }
        // Holder lists: closed positions leave (swap-remove), new ones join.
        for p in old.positions where new.positionIndex(market: p.market) == nil {
            let m = Int(p.market)
            let slot = Int(p.holderSlot)
            let lastSlot = markets[m].holders.count - 1
            let moved = markets[m].holders[lastSlot]
            markets[m].holders[slot] = moved
            markets[m].holderSizes[slot] = markets[m].holderSizes[lastSlot]
            markets[m].holderEntries[slot] = markets[m].holderEntries[lastSlot]
            markets[m].holders.removeLast()
            markets[m].holderSizes.removeLast()
            markets[m].holderEntries.removeLast()
            if slot != lastSlot {
                if moved == index {
                    if let j = new.positionIndex(market: p.market) { new.positions[j].holderSlot = Int32(slot) }
                } else if let j = accounts[Int(moved)].positionIndex(market: p.market) {
                    accounts[Int(moved)].positions[j].holderSlot = Int32(slot)
                }
            }
        }
        for j in new.positions.indices {
            let p = new.positions[j]
            let m = Int(p.market)
            if p.holderSlot < 0 {
                new.positions[j].holderSlot = Int32(markets[m].holders.count)
                markets[m].holders.append(index)
                markets[m].holderSizes.append(p.size)
                markets[m].holderEntries.append(p.entry)
            } else {
                markets[m].holderSizes[Int(p.holderSlot)] = p.size
                markets[m].holderEntries[Int(p.holderSlot)] = p.entry
            }
        }
        new.isSimple = new.positions.count == 1 && new.others.allSatisfy { $0 == 0 }
        if index != Self.insurance {
            for p in new.positions { watches[Int(p.market)].noteChange(index) }
        }
        accounts[Int(index)] = new
    }
}
