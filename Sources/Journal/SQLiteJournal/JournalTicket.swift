import Synchronization

/// A `CommitTicket` resolved by the writer thread once its batch committed (or failed).
/// Awaiting a ticket that is already resolved returns at once.
final class JournalTicket: CommitTicket {
    typealias Waiter = UnsafeContinuation<Result<Void, JournalError>, Never>

    private enum State {
        /// Almost always one waiter (the request that submitted), so no array for it.
        case pending(first: Waiter?, more: [Waiter])
        case resolved(Result<Void, JournalError>)
    }

    private let state = Mutex(State.pending(first: nil, more: []))

    init() {}

    /// A ticket that has already failed (queue full, journal failed or closed).
    init(failed error: JournalError) {
        state.withLock { $0 = .resolved(.failure(error)) }
    }

    func durable() async throws(JournalError) {
        // Unsafe: each continuation is resumed exactly once, by `resolve` or right here.
        let result = await withUnsafeContinuation { (continuation: Waiter) in
            let resolved: Result<Void, JournalError>? = state.withLock { state in
                switch state {
                case .resolved(let result):
                    return result
                case .pending(nil, let more):
                    state = .pending(first: continuation, more: more)
                    return nil
                case .pending(let first?, var more):
                    more.append(continuation)
                    state = .pending(first: first, more: more)
                    return nil
                }
            }
            if let resolved { continuation.resume(returning: resolved) }
        }
        try result.get()
    }

    /// Resolves once; later calls are ignored.
    func resolve(_ result: Result<Void, JournalError>) {
        let (first, more): (Waiter?, [Waiter]) = state.withLock { state in
            guard case .pending(let first, let more) = state else { return (nil, []) }
            state = .resolved(result)
            return (first, more)
        }
        first?.resume(returning: result)
        for waiter in more { waiter.resume(returning: result) }
    }

    var hasFailed: Bool {
        state.withLock { if case .resolved(.failure) = $0 { true } else { false } }
    }

    var isResolved: Bool {
        state.withLock { if case .resolved = $0 { true } else { false } }
    }
}
