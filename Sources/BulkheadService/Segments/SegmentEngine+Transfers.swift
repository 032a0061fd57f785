import Journal
import RiskEngine

/// The transfer steps on one segment's actor (RISK.md "Bridges"). Each step applies to this
/// segment alone and submits its journal entry in actor order; the coordinator moves between
/// the two actors, never holding both.
extension SegmentEngine {
    /// A step's result with the ticket of its journal entry (nil when nothing changed).
    struct TransferStep<Outcome: Sendable>: Sendable {
        var outcome: Outcome
        var ticket: (any CommitTicket)?
    }

    /// Step 1 in the source: check and debit; an accepted debit is journaled as `pending`.
    /// `outbox` (cluster mode) opens the transfer's outbox row in the debit's transaction.
    func debit(
        id: UInt64, account: String, amount: Amount, bridge: BridgeSpec, destinationMode: SegmentMode,
        outbox: (@Sendable (TransferRecord) -> OutboxChange)? = nil
    ) throws(SegmentFailure) -> TransferStep<TransferDebitOutcome> {
        if case .degraded(let reason) = state.current { throw .journalDegraded(reason) }
        let arrival = clock.now()
        let debit = TransferDebit(id: id, account: account, amount: amount, bridge: bridge, destinationMode: destinationMode, arrival: arrival)
        let outcome: TransferDebitOutcome
        do { outcome = try segment.apply(debit) } catch { throw .rejected(error) }
        guard outcome.decision.isAccepted else { return TransferStep(outcome: outcome, ticket: nil) }
        publishMode()
        let ticket = submit(
            kind: JournalKind.engineCommand, payload: EngineCommand.transferDebit(debit).encoded(), arrival: arrival, status: 200,
            body: nil, idempotency: nil, outbox: outcome.transfer.flatMap { record in outbox.map { $0(record) } })
        return TransferStep(outcome: outcome, ticket: ticket)
    }

    /// Step 2 in the destination: credit once per id. `after` is the debit's ticket: if it
    /// already failed, the credit is not attempted (a credit must never be durable without
    /// its debit; the journal commits in submission order and fails closed, so a credit
    /// submitted after a debit that has not failed can only be durable if the debit is).
    /// `outbox` (cluster mode) advances the outbox row in the credit's transaction, with the
    /// destination account as the source's answer will show it.
    func credit(
        _ transfer: TransferRecord, after debit: (any CommitTicket)?, outbox: (@Sendable (MarginSummary) -> OutboxChange)? = nil
    ) throws(SegmentFailure) -> TransferStep<TransferCreditOutcome> {
        if let debit, debit.hasFailed { throw .journalDegraded("the debit of \(transfer.idText) was not journaled") }
        if case .degraded(let reason) = state.current { throw .journalDegraded(reason) }
        let arrival = clock.now()
        let credit = TransferCredit(for: transfer, arrival: arrival)
        let outcome = segment.apply(credit)
        guard case .credited(let account) = outcome else { return TransferStep(outcome: outcome, ticket: nil) }
        publishMode()
        let ticket = submit(
            kind: JournalKind.engineCommand, payload: EngineCommand.transferCredit(credit).encoded(), arrival: arrival, status: 200,
            body: nil, idempotency: nil, outbox: outbox?(account))
        return TransferStep(outcome: outcome, ticket: ticket)
    }

    /// Step 3 in the source: `completed` or `refunded`, journaled with the request's
    /// idempotency record (rendered by `answer` from the settled record and the source
    /// account, only when there is one), so the stored answer commits with the change that
    /// finishes the transfer. `debited` is the source account the debit answered.
    ///
    /// Cluster mode: `debited` is nil (the source account is shown as it is now) and `outbox`
    /// advances the outbox row with the rendered answer, in the settlement's transaction.
    func settle(
        _ id: UInt64, outcome: TransferState, after credit: (any CommitTicket)?, debited: MarginSummary?,
        idempotency: IdempotencyContext?, answer: @Sendable (TransferRecord, MarginSummary?) -> [UInt8],
        outbox: (@Sendable (_ answer: [UInt8], _ createdAt: Int64) -> OutboxChange)? = nil
    ) throws(SegmentFailure) -> TransferStep<(record: TransferRecord, account: MarginSummary?, body: [UInt8]?)> {
        if let credit, credit.hasFailed { throw .journalDegraded("the credit of \(TransferRecord.idText(id)) was not journaled") }
        let arrival = clock.now()
        let settlement = TransferSettlement(id: id, outcome: outcome, arrival: arrival)
        let settled: TransferRecord?
        do { settled = try segment.apply(settlement) } catch { throw .rejected(error) }
        guard let settled else { throw .rejected(EngineError(.conflict, code: "transfer_settled", message: "\(TransferRecord.idText(id)) is not pending")) }
        publishMode()
        // Completed: the source account as the debit left it (the transfer's own effect; one
        // valuation less in this actor). Refunded: as it is now, with the amount back.
        let account = outcome == .refunded || debited == nil ? segment.marginSummary(account: settled.account, at: arrival) : debited
        // Only a stored answer is rendered in the actor (it commits with the entry).
        let body = idempotency != nil || outbox != nil ? answer(settled, account) : nil
        let ticket = submit(
            kind: JournalKind.engineCommand, payload: EngineCommand.transferSettlement(settlement).encoded(), arrival: arrival,
            status: 200, body: body, idempotency: idempotency, outbox: outbox.map { $0(body ?? [], arrival.nanoseconds) })
        return TransferStep(outcome: (settled, account, body), ticket: ticket)
    }

    /// Cluster mode: advances an outbox row whose step this segment has already journaled
    /// (a repeat the relay found), through an entry that changes nothing on replay.
    func advanceOutbox(_ change: OutboxChange) -> any CommitTicket {
        submit(kind: JournalKind.streamEvents, payload: [], arrival: clock.now(), status: 200, body: nil, idempotency: nil, outbox: change)
    }

    // MARK: Reads

    func transfer(_ id: UInt64) -> TransferRecord? { segment.transfer(id) }

    func spec() -> SegmentSpec { segment.spec }

    func bridgeUsage(_ bridge: BridgeSpec) -> Amount { segment.bridgeUsage(bridge, at: clock.now()) }

    var lastTransferId: UInt64 { segment.lastTransferId }
}
