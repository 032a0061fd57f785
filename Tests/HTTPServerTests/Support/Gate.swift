import Synchronization

/// A barrier a test controls: handlers `pass()` through it only after the test `open()`s
/// it, and the test can await the moment a handler has arrived.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var waiting: [CheckedContinuation<Void, Never>] = []
        var arrivals = 0
        var arrivalWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    }

    private let state = Mutex(State())

    func pass() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let (resumeSelf, arrived) = state.withLock { state -> (Bool, [CheckedContinuation<Void, Never>]) in
                state.arrivals += 1
                let count = state.arrivals
                let ready = state.arrivalWaiters.filter { $0.count <= count }.map(\.continuation)
                state.arrivalWaiters.removeAll { $0.count <= count }
                if state.isOpen { return (true, ready) }
                state.waiting.append(continuation)
                return (false, ready)
            }
            for waiter in arrived { waiter.resume() }
            if resumeSelf { continuation.resume() }
        }
    }

    /// Suspends until `count` handlers have reached the gate.
    func arrived(_ count: Int = 1) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let ready = state.withLock { state in
                if state.arrivals >= count { return true }
                state.arrivalWaiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func open() {
        let waiting = state.withLock { state in
            state.isOpen = true
            defer { state.waiting = [] }
            return state.waiting
        }
        for continuation in waiting { continuation.resume() }
    }
}
