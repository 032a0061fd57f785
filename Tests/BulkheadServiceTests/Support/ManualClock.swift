import BulkheadService
import RiskEngine
import Synchronization

/// A clock the test moves by hand, so every arrival time (and so every decision) is fixed.
final class ManualClock: ServiceClock {
    private let current: Mutex<Int64>

    /// 2026-11-24T17:00:00Z
    static let start = Timestamp(seconds: 1_795_539_600)

    init(_ start: Timestamp = ManualClock.start) {
        current = Mutex(start.nanoseconds)
    }

    func now() -> Timestamp { Timestamp(nanoseconds: current.withLock { $0 }) }

    func advance(seconds: Int64) {
        current.withLock { $0 += seconds * 1_000_000_000 }
    }

    /// The current time as RFC 3339 text, for price timestamps.
    var text: String { now().rfc3339 }
}
