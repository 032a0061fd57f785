/// One outgoing bridge's accepted transfers by acceptance time (RISK.md "Bridges": the
/// rolling window counts accepted transfers by their journaled time, so replay and restarts
/// see the same window).
///
/// Memory is bounded twice: entries older than the longest window this bridge has had are
/// dropped, and past `capacity` entries the two oldest merge into one stamped with the later
/// time. A merged entry stays in the window at least as long as either part would have, so
/// the bound can only make the limit stricter, never looser, and it is deterministic.
struct TransferWindow: Sendable, Hashable {
    /// A constant, not a setting: it shapes decisions, and replay must decide identically.
    static let capacity = 1_024

    struct Entry: Sendable, Hashable {
        var time: Timestamp
        var amount: Int128
    }

    /// Oldest first; times never decrease (commands arrive in journal order, clocks advance).
    var entries: [Entry] = []
    /// The longest `windowSeconds` seen: entries younger than this are kept.
    var horizonSeconds: Int64 = 0

    /// The amount accepted in `(now − windowSeconds, now]`: an entry at `t` counts until
    /// `t + windowSeconds`, exclusive.
    func used(windowSeconds: Int64, at now: Timestamp) -> Int128 {
        var total: Int128 = 0
        for entry in entries.reversed() {
            guard entry.time.adding(seconds: windowSeconds) > now else { break }
            total += entry.amount
        }
        return total
    }

    mutating func record(_ amount: Int128, at time: Timestamp, windowSeconds: Int64) {
        horizonSeconds = max(horizonSeconds, windowSeconds)
        prune(at: time)
        if entries.count >= Self.capacity {
            let merged = Entry(time: entries[1].time, amount: entries[0].amount + entries[1].amount)
            entries.removeFirst(2)
            entries.insert(merged, at: 0)
        }
        entries.append(Entry(time: time, amount: amount))
    }

    mutating func prune(at now: Timestamp) {
        var drop = 0
        while drop < entries.count, entries[drop].time.adding(seconds: horizonSeconds) <= now { drop += 1 }
        if drop > 0 { entries.removeFirst(drop) }
    }
}

/// The outgoing bridge a window belongs to, seen from its source segment.
struct WindowKey: Sendable, Hashable, Comparable {
    var to: String
    var asset: String

    static func < (lhs: WindowKey, rhs: WindowKey) -> Bool { (lhs.to, lhs.asset) < (rhs.to, rhs.asset) }
}
