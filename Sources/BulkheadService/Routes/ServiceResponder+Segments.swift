import RiskEngine

extension ServiceResponder {
    /// `GET /v1/segments`: every segment the key may read.
    func listSegments(_ context: RequestContext) async throws(APIError) -> Reply {
        let principal = try authorize(context, .anyKey, segments: [])
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
    func createSegment(_ context: RequestContext) async throws(APIError) -> Reply {
        // Role first (401/403 before the body is looked at), then the scope once the id is known.
        var principal = try authorize(context, .admin, segments: [])
        let spec = try SegmentSpec(json: try context.jsonBody())
        if !principal.covers(segment: spec.id) {
            // The authorizer answers the 403 (and audits the denial) for the out-of-scope id.
            principal = try authorize(context, .admin, segments: [spec.id])
        }
        return try await idempotent(context, principal: principal) { (record) throws(APIError) in
            try await self.commit(try self.registry.create(spec, idempotency: record))
        }
    }

    /// `GET /v1/segments/{segment}`.
    func getSegment(_ context: RequestContext) async throws(APIError) -> Reply {
        let id = context.segmentID()
        _ = try authorize(context, .read, segments: [id])
        return Reply(status: 200, body: try await engine(id).view().jsonBytes)
    }

    func engine(_ id: String) throws(APIError) -> SegmentEngine {
        guard let engine = registry.engine(id) else { throw .unknownSegment(id) }
        return engine
    }
}
