import Synchronization

/// Lock-free counters shared by all event loops.
final class ServerCounters: Sendable {
    let open = Atomic<Int>(0)
    let accepted = Atomic<Int>(0)
    let rejected = Atomic<Int>(0)
    let requests = Atomic<Int>(0)
    let parseErrors = Atomic<Int>(0)
    let rateLimited = Atomic<Int>(0)
    let timeouts = Atomic<Int>(0)

    enum Counter {
        case accepted, rejected, requests, parseErrors, rateLimited, timeouts
    }

    func bump(_ counter: Counter) {
        switch counter {
        case .accepted: accepted.add(1, ordering: .relaxed)
        case .rejected: rejected.add(1, ordering: .relaxed)
        case .requests: requests.add(1, ordering: .relaxed)
        case .parseErrors: parseErrors.add(1, ordering: .relaxed)
        case .rateLimited: rateLimited.add(1, ordering: .relaxed)
        case .timeouts: timeouts.add(1, ordering: .relaxed)
        }
    }

    var snapshot: HTTPServerStatistics {
        HTTPServerStatistics(
            openConnections: open.load(ordering: .relaxed),
            acceptedConnections: accepted.load(ordering: .relaxed),
            rejectedConnections: rejected.load(ordering: .relaxed),
            requests: requests.load(ordering: .relaxed),
            parseErrors: parseErrors.load(ordering: .relaxed),
            rateLimited: rateLimited.load(ordering: .relaxed),
            timeouts: timeouts.load(ordering: .relaxed)
        )
    }
}
