import Synchronization

/// Health and metrics, written by the writer thread and read by anyone.
final class JournalStatus: Sendable {
    private let healthState = Mutex(JournalHealth.ok)
    private let metricsState = Mutex(JournalMetrics())

    var health: JournalHealth { healthState.withLock { $0 } }

    func setHealth(_ health: JournalHealth) {
        healthState.withLock { $0 = health }
    }

    var metrics: JournalMetrics { metricsState.withLock { $0 } }

    func updateMetrics(_ body: (inout JournalMetrics) -> Void) {
        metricsState.withLock { body(&$0) }
    }
}
