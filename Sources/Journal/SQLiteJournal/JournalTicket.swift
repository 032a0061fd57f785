import Synchronization

/// A `CommitTicket` resolved by the writer thread once its batch committed (or failed).
/// Awaiting a ticket that is already resolved returns at once.
final class JournalTicket: CommitTicket {
    private enum State {
        case pending([CheckedContinuation<Result<Void, JournalError>, Never>])
        case resolved(Result<Void, JournalError>)
    }

    private let state = Mutex(State.pending([]))

    init() {}

    /// A ticket that has already failed (queue full, journal failed or closed).
    init(failed error: JournalError) {
        state.withLock { $0 = .resolved(.failure(error)) }
    }

    func durable() async throws(JournalError) {
        if case .resolved(let result) = state.withLock({ $0 }) { return try result.get() }
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<Void, JournalError>, Never>) in
            let resolved: Result<Void, JournalError>? = state.withLock { state in
                switch state {
                case .resolved(let result):
                    return result
                case .pending(var waiters):
                    waiters.append(continuation)
                    state = .pending(waiters)
                    return nil
                }
            }
            if let resolved { continuation.resume(returning: resolved) }
        }
        try result.get()
    }

    /// Resolves once; later calls are ignored.
    func resolve(_ result: Result<Void, JournalError>) {
        let waiters: [CheckedContinuation<Result<Void, JournalError>, Never>] = state.withLock { state in
            guard case .pending(let waiters) = state else { return [] }
            state = .resolved(result)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: result) }
    }

    var isResolved: Bool {
        state.withLock { if case .resolved = $0 { true } else { false } }
    }
}
