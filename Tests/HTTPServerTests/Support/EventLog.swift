import HTTPServer
import Synchronization

/// Collects server events and lets a test await a particular one (no polling, no sleeps).
final class EventLog: Sendable {
    private struct State {
        var events: [HTTPServerEvent] = []
        var waiters: [(match: @Sendable (HTTPServerEvent) -> Bool, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    var handler: @Sendable (HTTPServerEvent) -> Void {
        { [self] event in record(event) }
    }

    var events: [HTTPServerEvent] { state.withLock { $0.events } }

    func record(_ event: HTTPServerEvent) {
        let ready: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.events.append(event)
            let ready = state.waiters.filter { $0.match(event) }.map(\.continuation)
            state.waiters.removeAll { $0.match(event) }
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// Suspends until an event matching `match` has been recorded.
    func wait(for match: @escaping @Sendable (HTTPServerEvent) -> Bool) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let seen = state.withLock { state in
                if state.events.contains(where: match) { return true }
                state.waiters.append((match, continuation))
                return false
            }
            if seen { continuation.resume() }
        }
    }
}
