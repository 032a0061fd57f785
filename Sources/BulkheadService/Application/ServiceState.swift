import Synchronization

/// What `/readyz` reports and what gates mutating requests.
public enum ServicePhase: Sendable, Equatable {
    /// Loading config and recovering segments from the journal.
    case starting
    case ready
    /// Shutting down: reads finish, new work is refused by the load balancer.
    case draining
    /// The journal failed: changes can no longer be made durable, so they are refused.
    case degraded(reason: String)

    var name: String {
        switch self {
        case .starting: "starting"
        case .ready: "ready"
        case .draining: "draining"
        case .degraded: "degraded"
        }
    }
}

/// The process-wide phase, shared by the responder, segment engines and lifecycle.
public final class ServiceState: Sendable {
    private let phase = Mutex(ServicePhase.starting)

    public init() {}

    public var current: ServicePhase { phase.withLock { $0 } }

    public func markReady() {
        phase.withLock { if $0 == .starting { $0 = .ready } }
    }

    public func markDraining() {
        phase.withLock { $0 = .draining }
    }

    /// Degraded is sticky: only a restart (and recovery) clears it — or, in cluster mode, the
    /// database coming back (`clearDegraded`).
    public func markDegraded(_ reason: String) {
        phase.withLock { phase in
            if case .degraded = phase { return }
            phase = .degraded(reason: reason)
        }
    }

    /// Cluster mode only: the database is reachable again and every served segment was
    /// rebuilt from the journal, so changes can be made durable again.
    func clearDegraded() {
        phase.withLock { phase in
            if case .degraded = phase { phase = .ready }
        }
    }

    public var isDegraded: Bool {
        if case .degraded = current { return true }
        return false
    }
}
