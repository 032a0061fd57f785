import Journal
import RiskEngine

/// One segment's state and the only place it changes. Requests for a segment go to its actor
/// alone, so segments never wait on each other. A change is applied, given the next sequence
/// and submitted to the journal inside the actor (actor order = journal order); the caller
/// awaits durability outside, so concurrent requests share one group commit.
actor SegmentEngine {
    nonisolated let id: String
    nonisolated let gate: InFlightGate
    nonisolated let load: SegmentLoad
    /// The current mode, readable without a hop (bridges read both ends' modes).
    nonisolated let published: PublishedMode
    /// Live event fan-out (API.md "Events").
    nonisolated let hub: EventHub
    private let maxDecisionsInResponse: Int
    var segment: Segment
    private(set) var lastSequence: UInt64
    private var entriesSinceSnapshot: UInt64 = 0
    private var lastSnapshotAt = MonotonicClock.nanoseconds()
    private let journal: any JournalStore
    let clock: any ServiceClock
    let state: ServiceState
    private let snapshots: SnapshotSchedule
    private let snapshotSlot = SnapshotSlot()

    init(
        segment: Segment, lastSequence: UInt64, journal: any JournalStore, clock: any ServiceClock, state: ServiceState,
        maxInFlight: Int, snapshots: SnapshotSchedule, modeChanged: (@Sendable (String) -> Void)? = nil,
        load: SegmentLoad? = nil,
        hub: EventHub = EventHub(lastDelivered: .start, queueBound: EventSettings().subscriberQueue), maxDecisionsInResponse: Int = 1_000
    ) {
        self.load = load ?? SegmentLoad(weight: 1, budget: max(1, maxInFlight))
        self.hub = hub
        self.maxDecisionsInResponse = maxDecisionsInResponse
        self.id = segment.spec.id
        self.segment = segment
        self.lastSequence = lastSequence
        self.journal = journal
        self.clock = clock
        self.state = state
        self.gate = InFlightGate(limit: maxInFlight)
        self.snapshots = snapshots
        self.published = PublishedMode(segment.currentMode)
        self.modeChanged = modeChanged
    }

    private let modeChanged: (@Sendable (String) -> Void)?

    /// Publishes the mode after a change of state; tells the bridges when it moved.
    func publishMode() {
        if published.store(segment.currentMode) { modeChanged?(id) }
    }

    // MARK: Commands

    func execute(_ command: SegmentCommand, idempotency: IdempotencyContext?) throws(SegmentFailure) -> StagedOutcome {
        if command.isMutating, case .degraded(let reason) = state.current { throw .journalDegraded(reason) }
        let arrival = clock.now()
        let engineCommand: EngineCommand
        let outcome: SegmentOutcome
        do {
            switch command {
            case .check(let request):
                return StagedOutcome(outcome: .check(try segment.check(request.command(arrival: arrival))), ticket: nil)
            case .fill(let request):
                let fill = request.command(arrival: arrival)
                outcome = .fill(try segment.apply(fill))
                engineCommand = .fill(fill)
            case .collateral(let request):
                let movement = request.command(arrival: arrival)
                outcome = .collateral(try segment.apply(movement))
                engineCommand = .collateral(movement)
            case .prices(let request):
                let batch = request.batch(arrival: arrival)
                outcome = .prices(segment.apply(batch), cap: maxDecisionsInResponse)
                engineCommand = .prices(batch)
            case .params(var change):
                change.arrival = arrival
                let result = try segment.apply(change)
                if result.record == nil {
                    // Nothing changed: no version, nothing to journal.
                    return StagedOutcome(outcome: .params(result), ticket: nil)
                }
                outcome = .params(result)
                engineCommand = .changeParams(change)
            case .mode(var floor):
                floor.arrival = arrival
                outcome = .mode(try segment.apply(floor))
                engineCommand = .setModeFloor(floor)
            case .insurance(var topUp):
                topUp.arrival = arrival
                outcome = .insurance(try segment.apply(topUp))
                engineCommand = .topUpInsurance(topUp)
            }
        } catch {
            throw .rejected(error)
        }
        publishMode()
        // The stored answer of an idempotent request must be the bytes this reply carries and
        // must commit in the same batch as the change: render it here, once.
        let rendered = idempotency.map { _ in outcome.jsonBytes }
        let produced = segment.takeEvents()
        var events: [StoredEvent] = []
        if !produced.isEmpty {
            events.reserveCapacity(produced.count)
            for (index, event) in produced.enumerated() { events.append(event.stored(sequence: lastSequence + 1, index: index)) }
        }
        let ticket = submit(
            kind: JournalKind.engineCommand, payload: engineCommand.encoded(), arrival: arrival, status: outcome.status,
            body: rendered, idempotency: idempotency, events: events)
        guard !events.isEmpty else { return StagedOutcome(outcome: outcome, ticket: ticket, rendered: rendered) }
        hub.stage(events)
        return StagedOutcome(outcome: outcome, ticket: ticket, rendered: rendered, events: (hub, lastSequence))
    }

    /// Journals an entry at the next sequence, with the idempotency record in the same batch.
    func submit(
        kind: UInt8, payload: [UInt8], arrival: Timestamp, status: Int, body: [UInt8]?, idempotency: IdempotencyContext?,
        events: [StoredEvent] = [], outbox: OutboxChange? = nil
    ) -> any CommitTicket {
        lastSequence += 1
        let entry = JournalEntry(
            segment: id, sequence: lastSequence, arrival: arrival.nanoseconds, kind: kind, payload: payload, events: events,
            outbox: outbox)
        let record = idempotency.map {
            IdempotencyRecord(key: $0.key, requestHash: $0.requestHash, status: status, body: body ?? [], createdAt: arrival.nanoseconds)
        }
        let ticket = journal.submit([entry], idempotency: record)
        entriesSinceSnapshot += 1
        let now = MonotonicClock.nanoseconds()
        // A due snapshot waits while the previous one is still being written: it stays due,
        // so the first entry after that one finishes takes it.
        if snapshots.policy.isDue(entriesSinceSnapshot: entriesSinceSnapshot, nanosecondsSinceSnapshot: now &- lastSnapshotAt),
           snapshotSlot.claim() {
            entriesSinceSnapshot = 0
            lastSnapshotAt = now
            snapshots.write(segment: segment, through: lastSequence, after: ticket, slot: snapshotSlot)
        }
        return ticket
    }

    // MARK: Reads

    // Reads are valued as of now, so a ramping maintenance multiplier shows its current value.
    func view() -> SegmentView { segment.view(at: clock.now()) }

    func marginSummary(account: String) -> MarginSummary? { segment.marginSummary(account: account, at: clock.now()) }

    func marginSummaries(status: AccountStatus?, after: String?, limit: Int) -> [MarginSummary] {
        segment.marginSummaries(status: status, after: after, limit: limit, at: clock.now())
    }

    func liquidations(after: UInt64, limit: Int) -> [LiquidationDecision] {
        segment.liquidations(after: after, limit: limit)
    }

    /// A history page and what retention dropped before it, read in one turn of the actor.
    func liquidationPage(after: UInt64, limit: Int) -> (page: [LiquidationDecision], truncated: Bool, oldestRetained: UInt64?) {
        (segment.liquidations(after: after, limit: limit), segment.liquidationHistoryTruncated(after: after), segment.oldestRetainedLiquidation)
    }

    func stateHash() -> UInt64 { segment.stateHash }

    func paramsHistory() -> [ParamsVersion] { segment.history }

    func paramsState() -> (version: UInt64, spec: SegmentSpec, pending: [PendingParam]) {
        (segment.version, segment.spec, segment.pending)
    }
    /// The state for a stress run (#13): a value copy, so the actor is held only for the
    /// reference-count bumps; the run never touches the live segment.
    func stressCopy() -> Segment { segment }

    var sequence: UInt64 { lastSequence }
}
