import HTTPWire
import Synchronization

/// Back-pressure between a streaming body (running as a task) and its connection's loop:
/// the writer adds the bytes it hands over, the loop releases them once written, and a
/// write suspends while more than `bound` bytes are outstanding.
final class ResponseStream: Sendable {
    private struct State {
        var outstanding = 0
        var closed = false
        var waiters: [(count: Int, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private let state = Mutex(State())
    let bound: Int

    init(bound: Int) {
        self.bound = max(1, bound)
    }

    /// Suspends until there is room (or throws when the connection is gone), then reserves it.
    func reserve(_ count: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let ready: Result<Void, any Error>? = state.withLock { state in
                if state.closed { return .failure(ResponseStreamClosed()) }
                if state.outstanding <= bound {
                    state.outstanding += count
                    return .success(())
                }
                state.waiters.append((count, continuation))
                return nil
            }
            if let ready { continuation.resume(with: ready) }
        }
    }

    /// Called by the loop when `count` reserved bytes have reached the socket.
    func release(_ count: Int) {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.outstanding = max(0, state.outstanding - count)
            guard state.outstanding <= bound, !state.waiters.isEmpty else { return [] }
            defer { state.waiters.removeAll() }
            for waiter in state.waiters { state.outstanding += waiter.count }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume() }
    }

    /// The connection is gone: pending and future writes throw.
    func close() {
        let waiters: [CheckedContinuation<Void, any Error>] = state.withLock { state in
            state.closed = true
            defer { state.waiters.removeAll() }
            return state.waiters.map(\.continuation)
        }
        for waiter in waiters { waiter.resume(throwing: ResponseStreamClosed()) }
    }
}

/// Thrown by `HTTPBodyWriter.write` once the client is gone or the server stopped.
public struct ResponseStreamClosed: Error, Sendable {}

/// The writer handed to a `.stream` body.
struct ConnectionBodyWriter: HTTPBodyWriter {
    let stream: ResponseStream
    let loop: EventLoop
    let connection: ConnectionID

    func write(_ chunk: [UInt8]) async throws {
        guard !chunk.isEmpty else { return }
        try await stream.reserve(chunk.count)
        loop.post(.streamChunk(connection, chunk))
    }
}
