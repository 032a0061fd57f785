/// One market's index of its holders by the price at which each could first become
/// liquidatable, so a price tick looks only at the holders whose threshold the new price
/// crosses, not at every holder (O(log n + k) instead of O(n)).
///
/// A cache derived from the accounts: never journaled or hashed, rebuilt lazily by the next
/// tick after it was dropped (a different maintenance fraction, too many changes since the
/// build, a loss socialization). Thresholds are conservative: a holder outside the candidate
/// range is certainly not liquidatable; candidates still get the exact check.
struct LiquidationWatch: Sendable {
    struct Entry: Sendable {
        var threshold: Int128
        var account: Int32
    }

    /// Longs, by threshold descending: candidates while the price is below the threshold.
    var longs: [Entry] = []
    /// Shorts, by threshold ascending: candidates while the price is above the threshold.
    var shorts: [Entry] = []
    /// Holders checked on every tick: not simple (other collateral, several positions) or a
    /// threshold out of range.
    var unindexed: [Int32] = []
    /// Accounts changed since the build; checked on every tick until the next build.
    var changed: [Int32] = []
    /// The maintenance fraction the thresholds hold for; `nil` while not built.
    var maintenanceFraction: Int128?

    /// Changes tolerated before a rebuild: a tick checks them all, so they stay a small share.
    var changeLimit: Int { max(64, (longs.count + shorts.count + unindexed.count) / 8) }

    var isBuilt: Bool { maintenanceFraction != nil }

    mutating func noteChange(_ account: Int32) {
        guard isBuilt else { return }
        changed.append(account)
        if changed.count > changeLimit { drop() }
    }

    mutating func drop() {
        maintenanceFraction = nil
        longs.removeAll(keepingCapacity: true)
        shorts.removeAll(keepingCapacity: true)
        unindexed.removeAll(keepingCapacity: true)
        changed.removeAll(keepingCapacity: true)
    }

    /// Calls `body` with every account that may be liquidatable at `price`: each indexed
    /// holder whose threshold the price crosses, every unindexed and every changed one
    /// (an account may come more than once).
    func forEachCandidate(at price: Int128, _ body: (Int32) -> Void) {
        for entry in longs {
            if entry.threshold <= price { break }
            body(entry.account)
        }
        for entry in shorts {
            if entry.threshold >= price { break }
            body(entry.account)
        }
        for account in unindexed { body(account) }
        for account in changed { body(account) }
    }

    /// The price at or above which a long of `size` at `entry` with `settlement` is decided
    /// not liquidatable by `Segment.quickCheck` (exact gap ≥ 2 units at scale 10^-24):
    ///   s·10^16 + q·(P − e)·10^8 − q·P·mmf ≥ 2·10^16  ⇔  P ≥ 10^8·N / (q·(10^8 − mmf)),
    /// N = 2·10^8 − s·10^8 + q·e; rounded up. `nil`: cannot index (check on every tick).
    static func longThreshold(settlement s: Int128, size q: Int128, entry e: Int128, mmf: Int128) -> Int128? {
        guard mmf < Fixed.unit else { return nil }
        let (qe, o1) = q.multipliedReportingOverflow(by: e)
        let (s8, o2) = s.multipliedReportingOverflow(by: Fixed.unit)
        let (n1, o3) = qe.subtractingReportingOverflow(s8)
        let (n, o4) = n1.addingReportingOverflow(2 * Fixed.unit)
        let (d, o5) = q.multipliedReportingOverflow(by: Fixed.unit - mmf)
        guard !(o1 || o2 || o3 || o4 || o5), d > 0 else { return nil }
        if n <= 0 { return 0 }  // safe at every price
        return try? Fixed.mulDiv(n, Fixed.unit, d, .up)
    }

    /// For a short of |size| `a`: the price at or below which it is decided not liquidatable:
    ///   P ≤ 10^8·N / (a·(10^8 + mmf)), N = s·10^8 + a·e − 2·10^8; rounded down.
    static func shortThreshold(settlement s: Int128, size a: Int128, entry e: Int128, mmf: Int128) -> Int128? {
        let (ae, o1) = a.multipliedReportingOverflow(by: e)
        let (s8, o2) = s.multipliedReportingOverflow(by: Fixed.unit)
        let (n1, o3) = ae.addingReportingOverflow(s8)
        let (n, o4) = n1.subtractingReportingOverflow(2 * Fixed.unit)
        let (d, o5) = a.multipliedReportingOverflow(by: Fixed.unit + mmf)
        guard !(o1 || o2 || o3 || o4 || o5), d > 0, n >= 0 else { return nil }
        return try? Fixed.mulDiv(n, Fixed.unit, d, .down)
    }
}
