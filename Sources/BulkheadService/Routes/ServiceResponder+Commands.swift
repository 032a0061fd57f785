import HTTPWire
import Journal

extension ServiceResponder {
    /// `POST …/prices`, `…/positions`, `…/collateral`, `…/orders/check`.
    func segmentCommand(_ endpoint: Endpoint, _ context: RequestContext) async throws(APIError) -> Reply {
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
        guard command.isMutating else { return try await run(command, on: engine, idempotency: nil) }
        return try await idempotent(context, principal: principal) { (record) throws(APIError) in
            try await self.run(command, on: engine, idempotency: record)
        }
    }

    /// Queues a command on its segment's actor (bounded), then waits for durability.
    func run(_ command: SegmentCommand, on engine: SegmentEngine, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        guard engine.gate.enter() else { throw .segmentBusy(engine.id, retryAfter: settings.busyRetryAfterSeconds) }
        defer { engine.gate.leave() }
        return try await commit(try await engine.execute(command, idempotency: idempotency))
    }

    /// Replies only once the change is durable; a failed commit degrades the service.
    func commit(_ staged: StagedAnswer) async throws(APIError) -> Reply {
        if let ticket = staged.ticket {
            let started = MonotonicClock.nanoseconds()
            do {
                try await ticket.durable()
            } catch {
                metrics.recordCommitFailure()
                state.markDegraded("journal commit failed: \(error.message)")
                logger.error("journal commit failed; refusing changes until restart", metadata: ["error": "\(error.message)"])
                throw .journalUnavailable(error.message, retryAfter: 30)
            }
            metrics.recordCommitWait(nanoseconds: MonotonicClock.nanoseconds() &- started)
        }
        return Reply(status: staged.status, body: staged.body)
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
