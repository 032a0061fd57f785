import RiskEngine
import Synchronization

/// What bridges and transfers publish (API.md "Events"): `transfer` (the transfer record,
/// on both ends' streams) and `bridge_state` (on both ends' streams). Plain values, so the
/// event stream can publish them as they are.
enum BridgeEvent: Sendable, Hashable {
    case transfer(TransferRecord)
    case bridgeState(BridgeStateChange)

    var type: String {
        switch self {
        case .transfer: "transfer"
        case .bridgeState: "bridge_state"
        }
    }

    /// The segments whose streams carry it.
    var segments: [String] {
        switch self {
        case .transfer(let record): [record.from, record.to]
        case .bridgeState(let change): [change.from, change.to]
        }
    }
}

/// The latest bridge events, bounded (`capacity`, oldest dropped first): each is recorded
/// exactly once, in order, and forwarded to the event streams.
final class BridgeEventLog: Sendable {
    private let state: Mutex<(events: [BridgeEvent], start: Int)> = Mutex(([], 0))
    let capacity: Int
    /// Where each event goes on from here: the segments' event streams.
    let publisher: BridgeEventPublisher?

    init(capacity: Int = 1_024, publisher: BridgeEventPublisher? = nil) {
        self.capacity = max(1, capacity)
        self.publisher = publisher
    }

    func record(_ event: BridgeEvent) {
        publisher?.enqueue(event)
        state.withLock { state in
            state.events.append(event)
            if state.events.count - state.start > capacity { state.start += 1 }
            if state.start >= capacity {
                state.events.removeFirst(state.start)
                state.start = 0
            }
        }
    }

    /// Retained events, oldest first.
    var events: [BridgeEvent] {
        state.withLock { Array($0.events[$0.start...]) }
    }
}
