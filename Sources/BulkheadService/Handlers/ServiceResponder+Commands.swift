import HTTPWire
import Journal

extension ServiceResponder {
    /// A segment command decoded and routed synchronously; what remains is the actor and the
    /// journal.
    struct PreparedCommand {
        var command: SegmentCommand
        var engine: SegmentEngine
    }

    /// The hot path: a segment command without an idempotency key, admitted and decoded, ready
    /// to `run`; nil for anything else (which goes through `handle`). Synchronous, so the
    /// request's task has two async frames (`respond`, `run`) instead of five, each
    /// allocated per request.
    @inline(never)  // its temporaries stay out of `respond`'s async frame
    func preparedCommand(_ match: RouteTable.Match, request: HTTPRequest) throws(APIError) -> PreparedCommand? {
        guard case .segmentCommand(let kind) = match.endpoint.kind, !request.head.headers.contains("Idempotency-Key") else {
            return nil
        }
        return try prepare(kind, try admit(match, request))
    }

    /// `POST …/prices`, `…/positions`, `…/collateral`, `…/orders/check` through `dispatch`
    /// (with an `Idempotency-Key`; a pre-trade check changes nothing and never stores one).
    func segmentCommand(_ kind: SegmentCommand.Kind, _ context: RequestContext, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        let prepared = try prepare(kind, context)
        return try await run(prepared.command, on: prepared.engine, idempotency: idempotency)
    }

    private func prepare(_ kind: SegmentCommand.Kind, _ context: RequestContext) throws(APIError) -> PreparedCommand {
        let engine = try engine(context.segment)
        let body = try context.jsonBody()
        let command: SegmentCommand = switch kind {
        case .prices: .prices(try PriceRequest(json: body))
        case .fill: .fill(try FillRequest(json: body))
        case .check: .check(try FillRequest(json: body))
        case .collateral: .collateral(try CollateralRequest(json: body))
        }
        return PreparedCommand(command: command, engine: engine)
    }

    /// Within the segment's in-flight budget (else 503 `segment_busy`, nothing applied), waits
    /// for its fair turn at the hop, queues the command on the segment's actor, then waits for
    /// durability.
    func run(_ command: SegmentCommand, on engine: SegmentEngine, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        guard engine.gate.enter() else {
            engine.load.shedAtGate()
            throw .segmentBusy(engine.id, retryAfter: settings.busyRetryAfterSeconds)
        }
        defer { engine.gate.leave() }
        if hop.tryEnter() {
            engine.load.admitted(waited: 0)
        } else {
            let queued = MonotonicClock.nanoseconds()
            guard await hop.waitForTurn(engine.id) else {
                engine.load.shedAtGate()
                throw .segmentBusy(engine.id, retryAfter: settings.busyRetryAfterSeconds)
            }
            engine.load.admitted(waited: MonotonicClock.nanoseconds() &- queued)
        }
        // The hop covers the actor's turn only: awaiting durability costs no CPU, and the
        // group commit is shared fairly by the journal writer itself.
        let staged: StagedOutcome
        do {
            staged = try await engine.execute(command, idempotency: idempotency)
        } catch {
            hop.leave()
            throw APIError(error)
        }
        hop.leave()
        return try await commit(staged)
    }

    /// Replies only once the change is durable; a failed commit degrades the service.
    /// Inlined into its callers: one async frame less per request.
    @inline(__always)
    func commit(_ staged: StagedOutcome) async throws(APIError) -> Reply {
        if let ticket = staged.ticket {
            let started = MonotonicClock.nanoseconds()
            do {
                try await ticket.durable()
            } catch {
                throw commitFailed(error)
            }
            metrics.recordCommitWait(nanoseconds: MonotonicClock.nanoseconds() &- started)
            if let events = staged.events { events.hub.markDurable(through: events.sequence) }
        }
        return Reply(status: staged.outcome.status, body: staged.rendered ?? staged.outcome.jsonBytes)
    }

    func commitFailed(_ error: JournalError) -> APIError {
        // Cluster: the segment's lease was taken over; nothing was written, the service is
        // healthy, and the client retries (then is sent to the new owner).
        if error.reason == .fenced, let cluster {
            return .segmentFenced(error.message, retryAfter: cluster.membership.settings.retryAfterSeconds)
        }
        metrics.recordCommitFailure()
        state.markDegraded("journal commit failed: \(error.message)")
        logger.error("journal commit failed; refusing changes until restart", metadata: ["error": "\(error.message)"])
        return .journalUnavailable(error.message, retryAfter: 30)
    }
}
