import RiskEngine

extension ServiceResponder {
    /// `POST /v1/transfers` (role `trading` on both ends): answers once the transfer is
    /// `completed` or `refunded` and durable, or at once when the source rejects it.
    func postTransfer(_ context: RequestContext, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        let request = try TransferRequest(json: try context.jsonBody())
        _ = try authorize(context, .trade, segments: [request.from, request.to])
        guard request.from != request.to else { throw .sameSegment() }
        if let cluster, let clusterTransfers {
            try requireKnownSegments([request.from, request.to])
            // The source's owner runs the transfer: 307 there (POST and body kept), or 503.
            try routeToOwner(cluster, request.from, context.request)
            return Reply(status: 200, body: try await clusterTransfers.transfer(request, idempotency: idempotency))
        }
        try requireSegments([request.from, request.to])
        let result = try await transfers.transfer(request, idempotency: idempotency)
        if let ticket = result.ticket {
            let started = MonotonicClock.nanoseconds()
            do { try await ticket.durable() } catch { throw commitFailed(error) }
            metrics.recordCommitWait(nanoseconds: MonotonicClock.nanoseconds() &- started)
        }
        return Reply(status: 200, body: result.body)
    }

    /// `GET /v1/transfers/{transfer}` (role `read` on both ends).
    func getTransfer(_ context: RequestContext) async throws(APIError) -> Reply {
        let text = context.parameters[.transfer]
        guard let id = TransferRecord.id(parsing: text) else { throw .unknownTransfer(text) }
        let found = if let clusterTransfers { await clusterTransfers.record(id) } else { await transfers.record(id) }
        guard let record = found else { throw .unknownTransfer(text) }
        _ = try authorize(context, .read, segments: [record.from, record.to])
        return Reply(status: 200, body: record.jsonBytes)
    }
}
