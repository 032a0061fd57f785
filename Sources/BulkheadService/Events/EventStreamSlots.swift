import Synchronization

/// The service-wide bound on open event streams (`events.maxSubscribers`).
final class EventStreamSlots: Sendable {
    private let open = Mutex(0)
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func claim() -> Bool {
        open.withLock { count in
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    func release() {
        open.withLock { $0 = max(0, $0 - 1) }
    }

    var count: Int { open.withLock { $0 } }
}
