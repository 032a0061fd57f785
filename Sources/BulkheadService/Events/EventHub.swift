import Journal
import Synchronization

/// One segment's live event fan-out. The segment's actor stages each record's events in
/// journal order; they reach subscribers only once that record is durable (`markDurable`),
/// so a stream never shows a change that could still be lost. Each subscriber has a bounded
/// queue: one that falls behind is dropped, and publishing never waits for anyone.
final class EventHub: Sendable {
    /// What a waiting subscriber gets next.
    enum Delivery: Sendable {
        case events([StoredEvent])
        /// Nothing happened for a heartbeat interval.
        case heartbeat
        /// Fell behind its queue bound: disconnect (it resumes with Last-Event-ID).
        case dropped
        /// The server is stopping.
        case closed
    }

    private struct Subscriber {
        var types: Set<String>?
        var queue: [StoredEvent] = []
        var waiter: CheckedContinuation<Delivery, Never>?
        var pendingHeartbeat = false
        var dropped = false
    }

    private struct State {
        var staged: [StoredEvent] = []
        /// The newest event handed to subscribers (or journaled before this process).
        var lastDelivered: EventPosition
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var closed = false
        /// Subscribers dropped for falling behind (for metrics and tests).
        var dropped = 0
        /// Events handed to subscribers' queues (each event once per subscriber), for metrics.
        var delivered = 0
        /// Events made visible on this stream.
        var published = 0
    }

    private let state: Mutex<State>
    let queueBound: Int

    init(lastDelivered: EventPosition, queueBound: Int) {
        state = Mutex(State(lastDelivered: lastDelivered))
        self.queueBound = max(1, queueBound)
    }

    // MARK: Publishing (the segment's actor, then the request that awaited durability)

    func stage(_ events: [StoredEvent]) {
        guard !events.isEmpty else { return }
        state.withLock { $0.staged.append(contentsOf: events) }
    }

    /// The journal is FIFO: once `sequence` is durable, so is everything staged before it.
    func markDurable(through sequence: UInt64) {
        var wake: [(CheckedContinuation<Delivery, Never>, Delivery)] = []
        state.withLock { state in
            guard let first = state.staged.first, first.position.sequence <= sequence else { return }
            let count = state.staged.firstIndex { $0.position.sequence > sequence } ?? state.staged.count
            let ready = Array(state.staged.prefix(count))
            state.staged.removeFirst(count)
            state.lastDelivered = ready.last!.position
            state.published += ready.count
            for id in state.subscribers.keys {
                var subscriber = state.subscribers[id]!
                guard !subscriber.dropped else { continue }
                for event in ready where subscriber.types?.contains(event.type) ?? true {
                    subscriber.queue.append(event)
                    state.delivered += 1
                }
                if subscriber.queue.count > queueBound {
                    subscriber.dropped = true
                    subscriber.queue = []
                    state.dropped += 1
                    if let waiter = subscriber.waiter { wake.append((waiter, .dropped)) }
                    subscriber.waiter = nil
                } else if !subscriber.queue.isEmpty, let waiter = subscriber.waiter {
                    wake.append((waiter, .events(subscriber.queue)))
                    subscriber.queue = []
                    subscriber.waiter = nil
                }
                state.subscribers[id] = subscriber
            }
        }
        for (waiter, delivery) in wake { waiter.resume(returning: delivery) }
    }

    // MARK: Subscribing

    /// Registers a subscriber; it receives every event delivered after the returned position
    /// (the caller replays the journal up to it first: no gap, no duplicate).
    func subscribe(types: Set<String>?) -> (id: Int, from: EventPosition)? {
        state.withLock { state in
            guard !state.closed else { return nil }
            let id = state.nextID
            state.nextID += 1
            state.subscribers[id] = Subscriber(types: types)
            return (id, state.lastDelivered)
        }
    }

    /// Waits for the subscriber's next delivery.
    func next(_ id: Int) async -> Delivery {
        await withCheckedContinuation { (continuation: CheckedContinuation<Delivery, Never>) in
            let now: Delivery? = state.withLock { state in
                if state.closed { return .closed }
                guard var subscriber = state.subscribers[id] else { return .closed }
                if subscriber.dropped { return .dropped }
                if !subscriber.queue.isEmpty {
                    defer { state.subscribers[id]!.queue = [] }
                    return .events(subscriber.queue)
                }
                if subscriber.pendingHeartbeat {
                    state.subscribers[id]!.pendingHeartbeat = false
                    return .heartbeat
                }
                subscriber.waiter = continuation
                state.subscribers[id] = subscriber
                return nil
            }
            if let now { continuation.resume(returning: now) }
        }
    }

    /// A heartbeat interval passed: wakes the subscriber if it is waiting.
    func heartbeat(_ id: Int) {
        let waiter: CheckedContinuation<Delivery, Never>? = state.withLock { state in
            guard var subscriber = state.subscribers[id] else { return nil }
            defer { state.subscribers[id] = subscriber }
            guard let waiter = subscriber.waiter else {
                subscriber.pendingHeartbeat = true
                return nil
            }
            subscriber.waiter = nil
            return waiter
        }
        waiter?.resume(returning: .heartbeat)
    }

    func unsubscribe(_ id: Int) {
        let waiter = state.withLock { $0.subscribers.removeValue(forKey: id)?.waiter }
        waiter?.resume(returning: .closed)
    }

    /// Ends every stream (shutdown).
    func close() {
        let waiters: [CheckedContinuation<Delivery, Never>] = state.withLock { state in
            state.closed = true
            var waiters: [CheckedContinuation<Delivery, Never>] = []
            for id in state.subscribers.keys {
                if let waiter = state.subscribers[id]!.waiter { waiters.append(waiter) }
                state.subscribers[id]!.waiter = nil
            }
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: .closed) }
    }

    var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    var droppedCount: Int { state.withLock { $0.dropped } }

    /// The stream's figures for `/metrics`, read under one lock.
    var figures: (subscribers: Int, dropped: Int, published: Int, delivered: Int) {
        state.withLock { ($0.subscribers.count, $0.dropped, $0.published, $0.delivered) }
    }
}
