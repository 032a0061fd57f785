import Synchronization

/// Per-instance cluster figures for `/metrics`.
final class ClusterCounters: Sendable {
    struct Figures: Sendable, Equatable {
        var renewals = 0
        var renewalFailures = 0
        /// Leases found taken over at renewal plus writes the database refused.
        var fencingEvents = 0
        var takeovers = 0
        var handoffs = 0
        /// Transfer steps this instance's relay committed (credits here, refusals here,
        /// settlements here) and relay passes that could not reach the database.
        var transferCredits = 0
        var transferRefusals = 0
        var transferSettlements = 0
        var relayFailures = 0
    }

    private let figures = Mutex(Figures())

    var current: Figures { figures.withLock { $0 } }

    func record(_ change: (inout Figures) -> Void) {
        figures.withLock { change(&$0) }
    }
}
