import HTTPWire
import Journal
import RiskEngine

// Cluster mode (issue 15, API.md "Past one machine").
extension ServiceResponder {
    /// A request for a segment this instance does not serve: 307 to its owner (same path and
    /// query), 503 `segment_unavailable` while it has no live owner, or on to the handler
    /// (which answers 404 for a segment that exists nowhere).
    func routeToOwner(_ cluster: SegmentOwnership, _ segment: String, _ request: HTTPRequest) throws(APIError) {
        guard registry.engine(segment) == nil else { return }
        switch cluster.route(segment) {
        case .owner(let id, let url):
            throw .segmentMoved(segment, owner: id, location: url + request.head.target)
        case .unavailable:
            throw .segmentUnavailable(segment, retryAfter: cluster.membership.settings.retryAfterSeconds)
        case .unknown:
            return
        }
    }

    /// `GET /v1/cluster` (any key): every instance, the segments it serves (those the key
    /// may read), lease expiry and fencing tokens (epochs), as of the last ownership round.
    func clusterView(_ context: RequestContext) throws(APIError) -> Reply {
        guard let principal = context.principal else { throw .internalError("route without a key") }
        var json = JSONWriter(capacity: 1024)
        json.beginObject()
        guard let cluster else {
            json.key("instance"); json.string("standalone")
            json.key("mode"); json.string("standalone")
            json.key("instances")
            json.beginArray()
            json.beginObject()
            json.key("id"); json.string("standalone")
            json.key("url"); json.null()
            json.key("live"); json.bool(true)
            json.key("segments"); json.array(registry.ids.filter { principal.covers(segment: $0) }) { $0.string($1) }
            json.key("leaseExpiresAt"); json.null()
            json.key("leases"); json.beginArray(); json.endArray()
            json.endObject()
            json.endArray()
            json.key("unowned"); json.beginArray(); json.endArray()
            json.endObject()
            return Reply(status: 200, body: json.bytes)
        }
        let map = cluster.ownerMap
        let visible = map.leases.values.filter { principal.covers(segment: $0.segment) }.sorted { $0.segment < $1.segment }
        json.key("instance"); json.string(cluster.instanceID)
        json.key("mode"); json.string("cluster")
        json.key("instances")
        json.beginArray()
        for instance in map.instances {
            let held = visible.filter { $0.owner == instance.id && $0.isLive }
            json.beginObject()
            json.key("id"); json.string(instance.id)
            json.key("url"); json.string(instance.url)
            json.key("live"); json.bool(instance.isLive)
            json.key("segments"); json.array(held) { $0.string($1.segment) }
            json.key("leaseExpiresAt"); json.timestamp(Timestamp(nanoseconds: instance.aliveUntilMilliseconds &* 1_000_000))
            json.key("leases")
            json.array(held) { json, lease in
                json.beginObject()
                json.key("segment"); json.string(lease.segment)
                json.key("epoch"); json.int(lease.epoch)
                json.key("leaseExpiresAt"); json.timestamp(Timestamp(nanoseconds: lease.leaseUntilMilliseconds &* 1_000_000))
                json.endObject()
            }
            json.endObject()
        }
        json.endArray()
        json.key("unowned")
        json.array(visible.filter { !$0.isLive || $0.owner == nil }) { $0.string($1.segment) }
        json.endObject()
        return Reply(status: 200, body: json.bytes)
    }

    /// `POST /v1/segments` in cluster mode: the new segment's lease is taken first, so two
    /// instances creating the same id cannot both journal it.
    func createClustered(_ cluster: SegmentOwnership, _ spec: SegmentSpec, idempotency: IdempotencyContext?) throws(APIError) -> StagedOutcome {
        if case .degraded(let reason) = state.current { throw .journalUnavailable(reason, retryAfter: 30) }
        // Validated before the lease is taken, so a bad spec leaves no lease behind.
        do { _ = try Segment(spec: spec) } catch { throw .invalidSpec(error) }
        let claimed: Bool
        do {
            claimed = try cluster.claimForCreation(spec.id)
        } catch {
            throw .journalUnavailable(error.message, retryAfter: cluster.membership.settings.retryAfterSeconds)
        }
        guard claimed else { throw .segmentExists(spec.id) }
        do {
            return try registry.create(spec, idempotency: idempotency)
        } catch {
            cluster.abandonCreation(spec.id)
            throw APIError(error)
        }
    }
}
