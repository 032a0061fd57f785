import Journal
import RiskEngine
import Synchronization

/// Carries bridge and transfer events onto the streams of both segments they concern (API.md
/// "Events": `bridge_state` and `transfer` on both ends' streams). They are recorded where no
/// single segment's actor can journal them (a mode watch, the transfer coordinator), so one
/// task drains them in order and hops to each end's actor, which journals them as a
/// `streamEvents` entry; subscribers see them once that entry is durable.
///
/// The queue is bounded (`capacity`): past it the oldest waiting events are lost and counted
/// (`lost`), so a stalled journal never makes this grow without end.
final class BridgeEventPublisher: Sendable {
    private struct State {
        var pending: [BridgeEvent] = []
        var waiter: CheckedContinuation<[BridgeEvent]?, Never>?
        var closed = false
        var lost = 0
        var published = 0
    }

    private let state = Mutex(State())
    let capacity: Int

    init(capacity: Int = 4_096) {
        self.capacity = max(1, capacity)
    }

    func enqueue(_ event: BridgeEvent) {
        let waiter: CheckedContinuation<[BridgeEvent]?, Never>? = state.withLock { state in
            guard !state.closed else { return nil }
            if let waiter = state.waiter {
                state.waiter = nil
                return waiter
            }
            state.pending.append(event)
            if state.pending.count > capacity {
                state.pending.removeFirst()
                state.lost += 1
            }
            return nil
        }
        waiter?.resume(returning: [event])
    }

    /// Everything waiting, or suspends until something arrives; nil once closed.
    private func take() async -> [BridgeEvent]? {
        await withCheckedContinuation { (continuation: CheckedContinuation<[BridgeEvent]?, Never>) in
            let ready: [BridgeEvent]?? = state.withLock { state in
                if state.closed { return .some(nil) }
                if !state.pending.isEmpty {
                    defer { state.pending = [] }
                    return .some(state.pending)
                }
                state.waiter = continuation
                return nil
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// Drains until `close()`: each batch becomes one entry per segment, events in the order
    /// they were recorded.
    func run(segments: SegmentRegistry) async {
        while let batch = await take() {
            var order: [String] = []
            var bySegment: [String: [SegmentEvent]] = [:]
            for event in batch {
                for segment in event.segments {
                    if bySegment[segment] == nil { order.append(segment) }
                    bySegment[segment, default: []].append(event.segmentEvent)
                }
            }
            // Submit on every end first so they share group commits, then await each.
            var staged: [(engine: SegmentEngine, ticket: any CommitTicket, sequence: UInt64)] = []
            for segment in order {
                guard let engine = segments.engine(segment), let entry = await engine.publish(bySegment[segment]!) else { continue }
                staged.append((engine, entry.ticket, entry.sequence))
            }
            for entry in staged {
                // A failed commit degrades the service through the request path; these events
                // are then lost with the entry.
                guard (try? await entry.ticket.durable()) != nil else { continue }
                entry.engine.hub.markDurable(through: entry.sequence)
            }
            state.withLock { $0.published += batch.count }
        }
    }

    func close() {
        let waiter = state.withLock { state in
            state.closed = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }

    /// Events lost to the bound, and events published (each counted once, for both ends).
    var counts: (lost: Int, published: Int) { state.withLock { ($0.lost, $0.published) } }
}

extension BridgeEvent {
    /// As the stream carries it.
    var segmentEvent: SegmentEvent {
        switch self {
        case .transfer(let record): .transfer(ExternalEventPayload(json: record.jsonBytes))
        case .bridgeState(let change): .bridgeState(ExternalEventPayload(json: change.jsonBytes))
        }
    }
}
