import Synchronization

/// Bounds the requests queued on one segment's actor. Checked outside the actor, so an
/// overloaded segment answers 503 at once instead of growing its queue (and never slows
/// another segment).
final class InFlightGate: Sendable {
    let limit: Int
    private let count = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Takes a slot, or returns false when `limit` requests are already in flight.
    func enter() -> Bool {
        let now = count.add(1, ordering: .acquiringAndReleasing).newValue
        if now > limit {
            count.subtract(1, ordering: .acquiringAndReleasing)
            return false
        }
        return true
    }

    func leave() {
        count.subtract(1, ordering: .acquiringAndReleasing)
    }

    var inFlight: Int { count.load(ordering: .relaxed) }
}
