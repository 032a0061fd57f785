import HTTPWire
import Journal

extension ServiceResponder {
    /// A segment command is decoded, authorized and routed synchronously; what remains is
    /// the actor and the journal.
    struct PreparedCommand {
        var command: SegmentCommand
        var engine: SegmentEngine
        var principal: Principal
    }

    /// `POST …/prices`, `…/positions`, `…/collateral`, `…/orders/check` with an
    /// `Idempotency-Key` (`respond` runs the others through `run` directly).
    func segmentCommand(_ endpoint: Endpoint, _ context: RequestContext) async throws(APIError) -> Reply {
        let prepared = try prepare(endpoint, context)
        guard prepared.command.isMutating, context.request.head.headers.contains("Idempotency-Key") else {
            return try await run(prepared.command, on: prepared.engine, idempotency: nil)
        }
        return try await idempotent(context, principal: prepared.principal) { (record) throws(APIError) in
            try await self.run(prepared.command, on: prepared.engine, idempotency: record)
        }
    }

    /// The hot path: a segment command without an idempotency key, ready to `run`; nil for
    /// anything else (which goes through `handle`). Synchronous, so the request's task has
    /// two async frames (`respond`, `run`) instead of five, each allocated per request.
    @inline(never)  // its temporaries stay out of `respond`'s async frame
    func preparedCommand(_ match: RouteTable.Match, request: HTTPRequest) throws(APIError) -> PreparedCommand? {
        switch match.endpoint {
        case .postPrices, .postPositions, .postCollateral, .checkOrder: break
        default: return nil
        }
        guard !request.head.headers.contains("Idempotency-Key") else { return nil }
        if state.current == .starting { throw .notReady("starting", retryAfter: 1) }
        return try prepare(match.endpoint, RequestContext(request: request, parameters: match.parameters))
    }

    private func prepare(_ endpoint: Endpoint, _ context: RequestContext) throws(APIError) -> PreparedCommand {
        let id = context.segmentID()
        let principal = try authorize(context, endpoint == .postPrices ? .postPrices : .trade, segments: [id])
        let engine = try engine(id)
        let body = try context.jsonBody()
        let command: SegmentCommand = switch endpoint {
        case .postPrices: .prices(try PriceRequest(json: body))
        case .postPositions: .fill(try FillRequest(json: body))
        case .checkOrder: .check(try FillRequest(json: body))
        default: .collateral(try CollateralRequest(json: body))
        }
        return PreparedCommand(command: command, engine: engine, principal: principal)
    }

    /// Queues a command on its segment's actor (bounded), then waits for durability.
    func run(_ command: SegmentCommand, on engine: SegmentEngine, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        guard engine.gate.enter() else { throw .segmentBusy(engine.id, retryAfter: settings.busyRetryAfterSeconds) }
        defer { engine.gate.leave() }
        return try await commit(try await engine.execute(command, idempotency: idempotency))
    }

    /// Replies only once the change is durable; a failed commit degrades the service.
    /// Inlined into its callers: one async frame less per request.
    @inline(__always)
    func commit(_ staged: StagedAnswer) async throws(APIError) -> Reply {
        if let ticket = staged.ticket {
            let started = MonotonicClock.nanoseconds()
            do {
                try await ticket.durable()
            } catch {
                throw commitFailed(error)
            }
            metrics.recordCommitWait(nanoseconds: MonotonicClock.nanoseconds() &- started)
        }
        return Reply(status: staged.status, body: staged.body)
    }

    private func commitFailed(_ error: JournalError) -> APIError {
        metrics.recordCommitFailure()
        state.markDegraded("journal commit failed: \(error.message)")
        logger.error("journal commit failed; refusing changes until restart", metadata: ["error": "\(error.message)"])
        return .journalUnavailable(error.message, retryAfter: 30)
    }

    /// Applies `Idempotency-Key`: a repeat of a stored request gets the stored answer, a
    /// different request under the same key 422, a concurrent duplicate waits for the first.
    func idempotent(
        _ context: RequestContext, principal: Principal,
        _ operation: (IdempotencyContext?) async throws(APIError) -> Reply
    ) async throws(APIError) -> Reply {
        guard let supplied = context.request.head.headers.first("Idempotency-Key") else { return try await operation(nil) }
        let utf8 = supplied.utf8
        guard !utf8.isEmpty, utf8.count <= 255, utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw .invalidHeader("Idempotency-Key", "must be 1–255 visible ASCII characters")
        }
        let key = principal.keyID + "/" + supplied
        let head = context.request.head
        let record = IdempotencyContext(
            key: key, requestHash: RequestDigest.request(method: head.method.name, target: head.target, body: context.request.body))
        let claim: IdempotencyLedger.Claim
        do {
            claim = try await idempotency.claim(key: key, requestHash: record.requestHash)
        } catch {
            throw .journalUnavailable(error.message, retryAfter: 5)
        }
        switch claim {
        case .replay(let answer):
            return Reply(status: answer.status, body: answer.body, headers: [HTTPField("Idempotent-Replayed", "true")])
        case .conflict:
            throw .idempotencyKeyReused
        case .proceed:
            do {
                let reply = try await operation(record)
                let stored = IdempotencyRecord(
                    key: key, requestHash: record.requestHash, status: reply.status, body: reply.body,
                    createdAt: registry.environment.clock.now().nanoseconds)
                idempotency.finish(key: key, answer: nil, record: stored)
                return reply
            } catch {
                idempotency.finish(key: key, answer: IdempotencyLedger.Answer(status: error.status, body: error.body), record: nil)
                throw error
            }
        }
    }
}
