import Journal
import RiskEngine

/// The relay: moves every transfer whose next step belongs to a segment served here. Runs
/// one pass at a time (wake-ups during a pass share one more), on `NOTIFY`, after each
/// ownership round and after a debit here.
extension ClusterTransfers {
    /// Schedules a relay without waiting for it (notifications, requests); coalesced.
    /// `stillWanted` is checked when the relay starts (a notification heard just before the
    /// listener stopped moves nothing after `stopListening` returned).
    func wake(if stillWanted: @escaping @Sendable () -> Bool = { true }) {
        guard relayScheduled.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        Task {
            relayScheduled.store(false, ordering: .releasing)
            guard stillWanted() else { return }
            await relay()
        }
    }

    /// Returns once a pass that started after this call has finished (one pass at a time;
    /// calls during a pass share the next one).
    func relay() async {
        let (mine, start) = relayState.withLock { state -> (UInt64, Bool) in
            state.requested += 1
            if state.running { return (state.requested, false) }
            state.running = true
            return (state.requested, true)
        }
        guard start else {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = relayState.withLock { state -> Bool in
                    if state.completed >= mine { return true }
                    state.waiting.append((mine, continuation))
                    return false
                }
                if done { continuation.resume() }
            }
            return
        }
        while true {
            let target = relayState.withLock { $0.requested }
            await relayPass()
            let (finished, more) = relayState.withLock { state -> ([CheckedContinuation<Void, Never>], Bool) in
                state.completed = target
                let finished = state.waiting.filter { $0.request <= target }.map(\.continuation)
                state.waiting.removeAll { $0.request <= target }
                if state.requested > target { return (finished, true) }
                state.running = false
                return (finished, false)
            }
            for continuation in finished { continuation.resume() }
            if !more { return }
        }
    }

    private func relayPass() async {
        let served = ownership.served
        guard !served.isEmpty else { return }
        do {
            for row in try outbox.toCredit(into: served, limit: settings.relayBatch) { await credit(row) }
            for row in try outbox.toSettle(from: served, limit: settings.relayBatch) { await settle(row) }
        } catch {
            // The database is unreachable: the ownership round marks the service degraded;
            // the rows wait for the next pass.
            ownership.counters.record { $0.relayFailures += 1 }
            logger.warning("transfer relay pass failed", metadata: ["error": "\(error.message)"])
        }
    }

    /// Step 2, in the destination's actor.
    private func credit(_ row: OutboxRow) async {
        let transfer = row.record
        guard let destination = registry.engine(transfer.to), let epoch = ownership.membership.epochs.epoch(of: transfer.to) else { return }
        do {
            let step = try await destination.credit(transfer, after: nil) { account in
                .credited(id: transfer.id, answer: account.jsonBytes)
            }
            switch step.outcome {
            case .credited:
                try await step.ticket?.durable()
                ownership.counters.record { $0.transferCredits += 1 }
            case .alreadyCredited(let account):
                // Credited before, but the row did not move with it: move it now.
                try await destination.advanceOutbox(.credited(id: transfer.id, answer: account?.jsonBytes ?? [])).durable()
            case .refused(let reason):
                if try outbox.refuse(id: transfer.id, into: transfer.to, epoch: epoch, reason: reason) {
                    ownership.counters.record { $0.transferRefusals += 1 }
                }
            }
        } catch {
            logger.warning("transfer credit failed", metadata: ["transfer": "\(transfer.idText)", "error": "\(error)"])
        }
    }

    /// Step 3, in the source's actor; wakes the request waiting here, if any.
    private func settle(_ row: OutboxRow) async {
        let transfer = row.record
        guard let source = registry.engine(transfer.from) else { return }
        let outcome: TransferState = row.stage == .credited ? .completed : .refunded
        let destinationJSON = row.answer
        do {
            let step = try await source.settle(
                transfer.id, outcome: outcome, after: nil, debited: nil, idempotency: nil,
                answer: { record, account in TransferAnswer(record: record, from: account, toJSON: destinationJSON).json },
                outbox: { answer, createdAt in .settled(id: transfer.id, state: outcome, answer: answer, createdAt: createdAt) })
            try await step.ticket?.durable()
            ownership.counters.record { $0.transferSettlements += 1 }
            let record = step.outcome.record
            metrics.recordTransfer(record.bridge, outcome: outcome.rawValue)
            bridges.events.record(.transfer(record))
            resolve(transfer.id, with: step.outcome.body)
        } catch SegmentFailure.rejected(let error) where error.code == "transfer_settled" {
            // Settled before, but the row did not move with it: move it now.
            var final = transfer
            final.state = outcome
            let answer = TransferAnswer(record: final, from: nil, toJSON: destinationJSON).json
            do {
                try await source.advanceOutbox(.settled(id: transfer.id, state: outcome, answer: answer, createdAt: final.timestamp.nanoseconds))
                    .durable()
                resolve(transfer.id, with: answer)
            } catch {
                logger.warning("transfer settlement failed", metadata: ["transfer": "\(transfer.idText)", "error": "\(error)"])
            }
        } catch {
            logger.warning("transfer settlement failed", metadata: ["transfer": "\(transfer.idText)", "error": "\(error)"])
        }
    }
}
