import Journal
import RiskEngine
import Synchronization

/// The bridge book and its journal stream (`JournalStream.bridges`): `PUT`/`DELETE
/// /v1/bridges` change the book and journal the change under one lock, so the stream's
/// order is the book's order. Watches both ends' modes to record `bridge_state` changes.
final class BridgeRegistry: Sendable {
    private struct State {
        var book: BridgeBook
        var lastSequence: UInt64
        var watch = BridgeWatch()
    }

    private let state: Mutex<State>
    private let journal: any JournalStore
    private let clock: any ServiceClock
    let events: BridgeEventLog
    /// Set once at start: where the ends' modes come from.
    private let segments = Mutex<SegmentRegistry?>(nil)
    /// Cluster mode: the mode of an end served by another instance, as its owner published it.
    private let remoteMode = Mutex<(@Sendable (String) -> SegmentMode?)?>(nil)
    /// The bridges of `bridges.json`, under the journaled changes (for a reload).
    private let configured = Mutex<[BridgeSpec]>([])

    init(book: BridgeBook = BridgeBook(), lastSequence: UInt64 = 0, journal: any JournalStore, clock: any ServiceClock, events: BridgeEventLog) {
        state = Mutex(State(book: book, lastSequence: lastSequence))
        self.journal = journal
        self.clock = clock
        self.events = events
    }

    /// Installs the recovered book and starts watching the segments' modes.
    func install(_ restored: BridgeReplay.Restored, segments registry: SegmentRegistry) {
        segments.withLock { $0 = registry }
        state.withLock { state in
            state.book = restored.book
            state.lastSequence = restored.lastSequence
        }
        // The states found at start are not changes: a restart publishes nothing by itself.
        refresh(recording: false)
    }

    func bridge(_ key: BridgeKey) -> BridgeSpec? { state.withLock { $0.book.bridge(key) } }

    var all: [BridgeSpec] { state.withLock { $0.book.all } }

    /// An end's current mode; a segment that does not exist reads as `halted` (closed).
    func mode(_ segment: String) -> SegmentMode {
        if let local = segments.withLock({ $0?.engine(segment)?.published.mode }) { return local }
        return remoteMode.withLock { $0 }?(segment) ?? .halted
    }

    // MARK: Cluster mode

    /// Every instance shares one book: the journal's bridge stream (written by any instance,
    /// its sequence numbers serializing the writers). `reload` catches this copy up with it.
    func joinCluster(configured bridges: [BridgeSpec], remoteMode lookup: @escaping @Sendable (String) -> SegmentMode?) {
        configured.withLock { $0 = bridges }
        remoteMode.withLock { $0 = lookup }
    }

    /// Rebuilds the book from the journal when the stream moved (another instance changed
    /// it, or a change of ours was refused). The stream is a few entries per bridge change.
    func reload() throws {
        let last = try journal.lastSequence(segment: JournalStream.bridges) ?? 0
        guard last != state.withLock({ $0.lastSequence }) else { return }
        let restored = try BridgeReplay(journal: journal).restore(configured: configured.withLock { $0 })
        state.withLock { state in
            state.book = restored.book
            state.lastSequence = restored.lastSequence
        }
        refresh(recording: false)
    }

    /// Re-derives every bridge's state and records each change as a `bridge_state` event.
    func refresh(recording: Bool = true) {
        let registry = segments.withLock { $0 }
        guard let registry else { return }
        let now = clock.now()
        let changes = state.withLock { state in
            state.watch.update(book: state.book, modes: { registry.engine($0)?.published.mode }, at: now)
        }
        guard recording else { return }
        for change in changes { events.record(.bridgeState(change)) }
    }

    /// `PUT /v1/bridges`: validated by the caller; journaled, then visible.
    func put(_ bridge: BridgeSpec) throws(APIError) -> any CommitTicket {
        let ticket = try change(kind: JournalKind.bridgePut, payload: bridge.encoded()) { (book) throws(APIError) in
            do throws(SpecError) { try book.put(bridge) } catch { throw .invalidBridge(error) }
        }
        refresh()
        return ticket
    }

    /// `DELETE /v1/bridges`: 404 `unknown_bridge` when there is none.
    func remove(_ key: BridgeKey) throws(APIError) -> (BridgeSpec, any CommitTicket) {
        var removed: BridgeSpec?
        let ticket = try change(kind: JournalKind.bridgeRemoved, payload: key.encoded()) { (book) throws(APIError) in
            guard let bridge = book.remove(key) else { throw .unknownBridge(key) }
            removed = bridge
        }
        refresh()
        return (removed!, ticket)
    }

    private func change(kind: UInt8, payload: [UInt8], _ apply: (inout BridgeBook) throws(APIError) -> Void) throws(APIError) -> any CommitTicket {
        let now = clock.now().nanoseconds
        return try state.withLock { (state) throws(APIError) -> any CommitTicket in
            try apply(&state.book)
            state.lastSequence += 1
            let entry = JournalEntry(segment: JournalStream.bridges, sequence: state.lastSequence, arrival: now, kind: kind, payload: payload)
            return journal.submit([entry], idempotency: nil)
        }
    }
}
