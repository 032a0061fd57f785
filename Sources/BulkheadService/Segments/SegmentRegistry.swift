import Journal
import RiskEngine
import Synchronization

/// Settings every segment actor shares.
struct SegmentEnvironment: Sendable {
    var journal: any JournalStore
    var clock: any ServiceClock
    var state: ServiceState
    /// In-flight budget of a weight-1 segment.
    var maxInFlight: Int
    var snapshots: SnapshotSchedule
    /// Called (synchronously, from the segment's actor) when a segment's mode changed.
    var modeChanged: (@Sendable (String) -> Void)? = nil
    /// Fair-share weights by segment id (1 when unset); a budget is `maxInFlight × weight`.
    var weights: [String: Int] = [:]
    /// Live control (issue 18).
    var events = EventSettings()
    /// `liquidations.retention` (#17).
    var liquidationRetention = Segment.defaultLiquidationRetention
}

/// The segment actors by id. Lookups take a short lock; nothing here waits on a segment.
final class SegmentRegistry: Sendable {
    private let engines = Mutex<[String: SegmentEngine]>([:])
    let environment: SegmentEnvironment
    let maxSegments: Int

    init(environment: SegmentEnvironment, maxSegments: Int) {
        self.environment = environment
        self.maxSegments = maxSegments
    }

    func engine(_ id: String) -> SegmentEngine? {
        engines.withLock { $0[id] }
    }

    /// All engines sorted by id.
    var all: [SegmentEngine] {
        engines.withLock { engines in engines.keys.sorted().map { engines[$0]! } }
    }

    /// Σ weights of the segments that exist: a segment's share is its weight over this.
    var totalWeight: Int {
        engines.withLock { engines in engines.values.reduce(0) { sum, engine in sum + engine.load.weight } }
    }

    var ids: [String] {
        engines.withLock { $0.keys.sorted() }
    }

    private func makeEngine(_ segment: Segment, lastSequence: UInt64) -> SegmentEngine {
        var segment = segment
        segment.retainLiquidations(environment.liquidationRetention)
        let weight = environment.weights[segment.spec.id] ?? 1
        // Events journaled before this process are served from the journal on resume.
        let newest = (try? environment.journal.eventBounds(segment: segment.spec.id))?.newest ?? .start
        let hub = EventHub(lastDelivered: newest, queueBound: environment.events.subscriberQueue)
        return SegmentEngine(
            segment: segment, lastSequence: lastSequence, journal: environment.journal, clock: environment.clock,
            state: environment.state, maxInFlight: environment.maxInFlight * weight, snapshots: environment.snapshots,
            modeChanged: environment.modeChanged, load: SegmentLoad(weight: weight, budget: environment.maxInFlight * weight),
            hub: hub, maxDecisionsInResponse: environment.events.maxDecisionsInResponse)
    }

    /// Ends every event stream (shutdown), so draining does not wait for them.
    func closeEventStreams() {
        for engine in all { engine.hub.close() }
    }

    /// Submits a segment's creation as its first entry (sequence 1).
    private func submitCreation(_ segment: Segment, body: [UInt8], status: Int, idempotency: IdempotencyContext?) -> any CommitTicket {
        let arrival = environment.clock.now().nanoseconds
        let entry = JournalEntry(
            segment: segment.spec.id, sequence: 1, arrival: arrival, kind: JournalKind.segmentCreated,
            payload: segment.spec.jsonBytes)
        let record = idempotency.map {
            IdempotencyRecord(key: $0.key, requestHash: $0.requestHash, status: status, body: body, createdAt: arrival)
        }
        return environment.journal.submit([entry], idempotency: record)
    }

    /// Installs recovered segments at start; journals the creation of configured segments the
    /// journal did not know, so replay never depends on the config file again.
    func install(_ recovered: [RestoredSegment]) async throws(JournalError) {
        var tickets: [any CommitTicket] = []
        for item in recovered {
            var lastSequence = item.lastSequence
            if !item.isJournaled && lastSequence == 0 {
                tickets.append(submitCreation(item.segment, body: [], status: 201, idempotency: nil))
                lastSequence = 1
            }
            let engine = makeEngine(item.segment, lastSequence: lastSequence)
            engines.withLock { $0[engine.id] = engine }
        }
        for ticket in tickets { try await ticket.durable() }
    }

    /// `POST /v1/segments`: validates, refuses an existing id, journals the creation before
    /// any command can reach the new segment.
    func create(_ spec: SegmentSpec, idempotency: IdempotencyContext?) throws(SegmentFailure) -> StagedOutcome {
        if case .degraded(let reason) = environment.state.current { throw .journalDegraded(reason) }
        let segment: Segment
        do {
            segment = try Segment(spec: spec)
        } catch {
            throw .invalidSpec(error)
        }
        let outcome = SegmentOutcome.created(segment.view())
        // Rendered here only for the idempotency record, which commits with the creation.
        let rendered = idempotency.map { _ in outcome.jsonBytes }
        let result: Result<any CommitTicket, SegmentFailure> = engines.withLock { engines in
            if engines[spec.id] != nil { return .failure(.segmentExists(spec.id)) }
            if engines.count >= maxSegments { return .failure(.segmentLimit(maxSegments)) }
            let ticket = submitCreation(segment, body: rendered ?? [], status: outcome.status, idempotency: idempotency)
            engines[spec.id] = makeEngine(segment, lastSequence: 1)
            return .success(ticket)
        }
        switch result {
        case .success(let ticket): return StagedOutcome(outcome: outcome, ticket: ticket, rendered: rendered)
        case .failure(let error): throw error
        }
    }
}
