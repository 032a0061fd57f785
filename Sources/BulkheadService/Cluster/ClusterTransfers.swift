import Journal
import Logging
import RiskEngine
import Synchronization

/// Transfers in cluster mode (DESIGN.md "Transfers across instances"), whichever instances
/// serve the two ends. The three steps of RISK.md "Bridges" each commit in the fenced
/// transaction of the segment they change, together with the transfer's outbox row:
///
/// 1. the source's owner (this instance: requests are redirected to it) debits and opens
///    the row `pending`, then waits for the transfer to be final;
/// 2. the destination's owner, woken by `NOTIFY` (or its next relay pass), credits it once
///    per id and marks the row `credited` — or, when the credit is impossible, `refused`
///    (fenced by its lease, so a stale owner cannot refuse what a new one credits);
/// 3. the source's owner settles it `completed` or `refunded` and stores the answer (and the
///    request's idempotency record) with the settlement.
///
/// Every step is done by whoever owns its segment now, so a transfer survives the death of
/// either owner: the new owner finds the row and goes on. Each step is applied at most once —
/// the engine ignores a repeated credit or settlement and the row only moves forward — so
/// the conservation invariant holds across instances: value is never created, lost or stuck.
/// Both ends on this instance take the same path (one mechanism, tested every time).
final class ClusterTransfers: Sendable {
    let ownership: SegmentOwnership
    let registry: SegmentRegistry
    let bridges: BridgeRegistry
    let metrics: ServiceMetrics
    let logger: Logger
    /// Requests waiting here for a transfer to be final, by id (bounded by requests in flight).
    private let slots = Mutex<[UInt64: AnswerSlot]>([:])
    private let nextToken = Atomic<UInt64>(0)
    let relayState = Mutex(RelayState())
    /// A wake-up's relay is scheduled and not yet started: further wake-ups add nothing (the
    /// scheduled one, or the pass it joins, covers them), so a burst of notifications costs
    /// at most two waiting tasks.
    let relayScheduled = Atomic<Bool>(false)

    init(ownership: SegmentOwnership, registry: SegmentRegistry, bridges: BridgeRegistry, metrics: ServiceMetrics, logger: Logger) {
        self.ownership = ownership
        self.registry = registry
        self.bridges = bridges
        self.metrics = metrics
        self.logger = logger
    }

    var outbox: TransferOutbox { ownership.membership.outbox }
    var settings: ClusterSettings { ownership.membership.settings }

    // MARK: The request

    /// `POST /v1/transfers` on the source's owner: the answer once the transfer is final, the
    /// rejection at once, or 503 `transfer_pending` after `transferWaitMillis` (it goes on).
    func transfer(_ request: TransferRequest, idempotency: IdempotencyContext?) async throws(APIError) -> [UInt8] {
        let key = BridgeKey(from: request.from, to: request.to, asset: request.asset)
        if let idempotency, let earlier = try lookUp({ (outbox) throws(JournalError) in try outbox.row(idempotencyKey: idempotency.key) }) {
            // The same request again while its transfer is still on its way (a stored answer
            // would have been replayed before this): wait for that one, never debit twice.
            guard earlier.requestHash == idempotency.requestHash else { throw .idempotencyKeyReused }
            let token = expect(earlier.record.id)
            return try await finalAnswer(earlier.record.id, token: token)
        }
        // A bridge another instance created since this one's last round: catch up first.
        if bridges.bridge(key) == nil { try? bridges.reload() }
        guard let bridge = bridges.bridge(key) else { throw .unknownBridge(key) }
        guard let source = registry.engine(request.from) else { throw .segmentUnavailable(request.from, retryAfter: settings.retryAfterSeconds) }
        let id = try lookUp { (outbox) throws(JournalError) in try outbox.nextId() }
        // Expected before the debit: the relay may settle it before this request waits.
        let token = expect(id)
        let (hashKey, hash) = (idempotency?.key, idempotency?.requestHash)
        let debit: SegmentEngine.TransferStep<TransferDebitOutcome>
        do throws(SegmentFailure) {
            debit = try await source.debit(
                id: id, account: request.account, amount: request.amount, bridge: bridge, destinationMode: bridges.mode(request.to),
                outbox: { record in .open(record, idempotencyKey: hashKey, requestHash: hash) })
        } catch {
            release(id, token: token)
            throw APIError(error)
        }
        guard debit.outcome.transfer != nil, let ticket = debit.ticket else {
            release(id, token: token)
            if case .rejected(let reason, _) = debit.outcome.decision { metrics.recordTransfer(key, outcome: reason.rawValue) }
            return debit.outcome.rejectedJSON
        }
        do { try await ticket.durable() } catch {
            release(id, token: token)
            if error.reason == .fenced { throw .segmentFenced(error.message, retryAfter: settings.retryAfterSeconds) }
            throw .journalUnavailable(error.message, retryAfter: 30)
        }
        return try await finalAnswer(id, token: token)
    }

    /// Waits (bounded) for the relay to settle transfer `id` here and hand over its answer.
    private func finalAnswer(_ id: UInt64, token: UInt64) async throws(APIError) -> [UInt8] {
        let wait = Duration.milliseconds(settings.transferWaitMilliseconds)
        let answer: [UInt8]? = await withTaskGroup(of: [UInt8]?.self) { group in
            group.addTask { await self.answer(for: id, token: token) }
            group.addTask {
                try? await Task.sleep(for: wait)
                if !Task.isCancelled { self.release(id, token: token) }
                return nil
            }
            // The destination may be served here, or the row already credited: relay now.
            self.wake()
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
        release(id, token: token)
        if let answer { return answer }
        // Settled meanwhile by another path (a pass that found the row final): answer from it.
        if let row = try? outbox.row(id: id), row.stage == .completed || row.stage == .refunded {
            return TransferAnswer(record: row.record, from: nil, to: nil).json
        }
        throw .transferPending(TransferRecord.idText(id), retryAfter: settings.retryAfterSeconds)
    }

    /// Registers interest in transfer `id`'s answer; the token is this request's.
    private func expect(_ id: UInt64) -> UInt64 {
        let token = nextToken.add(1, ordering: .relaxed).newValue
        slots.withLock { _ = $0[id, default: AnswerSlot()].interested.insert(token) }
        return token
    }

    /// The answer once the relay has it (at once if it already has).
    private func answer(for id: UInt64, token: UInt64) async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            let ready: [UInt8]?? = slots.withLock { slots in
                guard var slot = slots[id], slot.interested.contains(token) else { return .some(nil) }
                if let answer = slot.answer { return .some(answer) }
                slot.waiting[token] = continuation
                slots[id] = slot
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// This request no longer waits (answered, failed or timed out).
    private func release(_ id: UInt64, token: UInt64) {
        let waiting: CheckedContinuation<[UInt8]?, Never>? = slots.withLock { slots in
            guard var slot = slots[id] else { return nil }
            slot.interested.remove(token)
            let waiting = slot.waiting.removeValue(forKey: token)
            slots[id] = slot.interested.isEmpty ? nil : slot
            return waiting
        }
        waiting?.resume(returning: nil)
    }

    /// The relay settled transfer `id` here: every request waiting for it gets the answer.
    func resolve(_ id: UInt64, with answer: [UInt8]?) {
        let waiting: [CheckedContinuation<[UInt8]?, Never>] = slots.withLock { slots in
            guard var slot = slots[id] else { return [] }
            slot.answer = answer
            let waiting = Array(slot.waiting.values)
            slot.waiting.removeAll()
            slots[id] = slot
            return waiting
        }
        for continuation in waiting { continuation.resume(returning: answer) }
    }

    /// `GET /v1/transfers/{id}`: the source's record if served here, else the outbox's.
    func record(_ id: UInt64) async -> TransferRecord? {
        for engine in registry.all {
            if let record = await engine.transfer(id) { return record }
        }
        return (try? outbox.row(id: id))?.record
    }

    private func lookUp<T>(_ body: (TransferOutbox) throws(JournalError) -> T) throws(APIError) -> T {
        do { return try body(outbox) } catch {
            throw .journalUnavailable("cluster database: \(error.message)", retryAfter: settings.retryAfterSeconds)
        }
    }
}

/// Who waits for one transfer's answer on this instance, and the answer once known.
private struct AnswerSlot {
    var interested: Set<UInt64> = []
    var waiting: [UInt64: CheckedContinuation<[UInt8]?, Never>] = [:]
    var answer: [UInt8]?
}

/// The relay's passes: requests counted, passes run one at a time, callers woken when a pass
/// that started after their request has finished.
struct RelayState {
    var running = false
    var requested: UInt64 = 0
    var completed: UInt64 = 0
    var waiting: [(request: UInt64, continuation: CheckedContinuation<Void, Never>)] = []
}
