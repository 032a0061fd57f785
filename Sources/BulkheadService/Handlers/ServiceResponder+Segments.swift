import RiskEngine

extension ServiceResponder {
    /// `GET /v1/segments`: every segment the key may read.
    func listSegments(_ context: RequestContext) async throws(APIError) -> Reply {
        guard let principal = context.principal else { throw .internalError("route without a key") }
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.key("segments")
        json.beginArray()
        for engine in registry.all where principal.covers(segment: engine.id) {
            await engine.view().writeSummary(to: &json)
        }
        json.endArray()
        json.endObject()
        return Reply(status: 200, body: json.bytes)
    }

    /// `POST /v1/segments` (admin): 201 with the new segment's view. The key's segment scope
    /// must cover the new id, so an admin key scoped to some segments cannot add others.
    func createSegment(_ context: RequestContext, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        // The role was checked before the body was looked at (401/403 first); the scope is
        // checked once the id is known.
        let spec = try SegmentSpec(json: try context.jsonBody())
        if context.principal?.covers(segment: spec.id) != true {
            // The authorizer answers the 403 (and audits the denial) for the out-of-scope id.
            _ = try authorize(context, .admin, segments: [spec.id])
        }
        let staged: StagedOutcome
        if let cluster {
            staged = try createClustered(cluster, spec, idempotency: idempotency)
        } else {
            do {
                staged = try registry.create(spec, idempotency: idempotency)
            } catch {
                throw APIError(error)
            }
        }
        return try await commit(staged)
    }

    /// `GET /v1/segments/{segment}`.
    func getSegment(_ context: RequestContext) async throws(APIError) -> Reply {
        Reply(status: 200, body: try await engine(context.segment).view().jsonBytes)
    }

    func engine(_ id: String) throws(APIError) -> SegmentEngine {
        guard let engine = registry.engine(id) else {
            // Cluster mode: routed here while served here, then handed off or taken over
            // before the handler ran (the idempotency stage awaits the journal). The segment
            // exists: retryable (the retry is redirected), never 404.
            if let cluster, cluster.route(id) != .unknown {
                throw .segmentUnavailable(id, retryAfter: cluster.membership.settings.retryAfterSeconds)
            }
            throw .unknownSegment(id)
        }
        return engine
    }
}
