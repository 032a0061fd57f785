import Journal
import RiskEngine
import Synchronization

/// Runs a transfer between two segments (RISK.md "Bridges"): the source's actor checks and
/// debits (journaled `pending`), then the destination's actor credits (once per id), then the
/// source's actor settles — `completed`, or `refunded` when the credit was impossible. The
/// coordinator hops from one actor to the other and never holds both.
///
/// The three entries are submitted in that order and only the last is awaited: the journal
/// commits in submission order and fails closed, so the settlement cannot be durable without
/// the credit, nor the credit without the debit (each step first checks that the previous
/// entry has not already failed). The answer leaves once the settlement is durable.
final class TransferCoordinator: Sendable {
    let segments: SegmentRegistry
    let bridges: BridgeRegistry
    let metrics: ServiceMetrics
    private let nextId = Atomic<UInt64>(1)
    /// Debited and not yet credited, per asset (raw amounts): the in-transit gauge.
    private let inTransit = Mutex<[String: Int128]>([:])

    init(segments: SegmentRegistry, bridges: BridgeRegistry, metrics: ServiceMetrics) {
        self.segments = segments
        self.bridges = bridges
        self.metrics = metrics
    }

    /// After recovery: ids continue above every id any segment has seen.
    func resumeIds(after last: UInt64) {
        nextId.store(last &+ 1, ordering: .relaxed)
    }

    struct Result: Sendable {
        var body: [UInt8]
        var ticket: (any CommitTicket)?
    }

    func transfer(_ request: TransferRequest, idempotency: IdempotencyContext?) async throws(APIError) -> Result {
        let key = BridgeKey(from: request.from, to: request.to, asset: request.asset)
        guard let bridge = bridges.bridge(key) else { throw .unknownBridge(key) }
        guard let source = segments.engine(request.from) else { throw .unknownSegment(request.from) }
        guard let destination = segments.engine(request.to) else { throw .unknownSegment(request.to) }
        let id = nextId.add(1, ordering: .relaxed).oldValue

        // 1. Source: check and debit.
        let debit: SegmentEngine.TransferStep<TransferDebitOutcome>
        do {
            debit = try await source.debit(
                id: id, account: request.account, amount: request.amount, bridge: bridge, destinationMode: destination.published.mode)
        } catch {
            throw APIError(error)
        }
        guard let pending = debit.outcome.transfer else {
            if case .rejected(let reason, _) = debit.outcome.decision { metrics.recordTransfer(key, outcome: reason.rawValue) }
            return Result(body: debit.outcome.rejectedJSON, ticket: nil)
        }
        adjustInTransit(pending, by: 1)

        // 2. Destination: credit once per id.
        var destinationAccount: MarginSummary?
        var creditTicket: (any CommitTicket)?
        let credited: Bool
        do {
            let step = try await destination.credit(pending, after: debit.ticket)
            creditTicket = step.ticket
            switch step.outcome {
            case .credited(let account): credited = true; destinationAccount = account
            case .alreadyCredited(let account): credited = true; destinationAccount = account
            case .refused: credited = false
            }
        } catch {
            // The journal failed: the service is degraded and recovery settles this transfer.
            throw APIError(error)
        }
        adjustInTransit(pending, by: -1)

        // 3. Source: completed, or refunded.
        let outcome: TransferState = credited ? .completed : .refunded
        let settled: SegmentEngine.TransferStep<(record: TransferRecord, account: MarginSummary?, body: [UInt8]?)>
        do {
            settled = try await source.settle(
                id, outcome: outcome, after: creditTicket ?? debit.ticket, debited: debit.outcome.account, idempotency: idempotency,
                answer: { [destinationAccount] record, account in
                    TransferAnswer(record: record, from: account, to: destinationAccount).json
                })
        } catch {
            throw APIError(error)
        }
        metrics.recordTransfer(key, outcome: outcome.rawValue)
        bridges.events.record(.transfer(settled.outcome.record))
        // Rendered here, off the source's actor, unless the idempotency record needed it there.
        let body = settled.outcome.body
            ?? TransferAnswer(record: settled.outcome.record, from: settled.outcome.account, to: destinationAccount).json
        return Result(body: body, ticket: settled.ticket)
    }

    /// `GET /v1/transfers/{id}`: asks each segment (only the source keeps the record).
    func record(_ id: UInt64) async -> TransferRecord? {
        for engine in segments.all {
            if let record = await engine.transfer(id) { return record }
        }
        return nil
    }

    private func adjustInTransit(_ record: TransferRecord, by sign: Int128) {
        inTransit.withLock { totals in totals[record.asset, default: 0] += sign * record.amount.raw }
    }

    /// Sets the in-transit gauge per asset (on scrape).
    func publishInTransit() {
        let totals = inTransit.withLock { $0 }
        for asset in totals.keys.sorted() { metrics.recordInTransit(asset: asset, amount: Amount(uncheckedRaw: totals[asset]!)) }
    }
}
