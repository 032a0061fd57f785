import HTTPWire
import Journal

extension ServiceResponder {
    /// Applies `Idempotency-Key`: a repeat of a stored request gets the stored answer, a
    /// different request under the same key 422, a concurrent duplicate waits for the first.
    func idempotent(
        _ context: RequestContext, _ operation: (IdempotencyContext?) async throws(APIError) -> Reply
    ) async throws(APIError) -> Reply {
        guard let principal = context.principal, let supplied = try IdempotencyKey.supplied(in: context.request.head.headers) else {
            return try await operation(nil)
        }
        let key = principal.keyID + "/" + supplied
        let head = context.request.head
        let record = IdempotencyContext(
            key: key, requestHash: IdempotencyContext.requestHash(method: head.method.name, target: head.target, body: context.request.body))
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
