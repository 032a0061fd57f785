import Journal
import RiskEngine

extension ServiceResponder {
    /// `GET /v1/bridges` (any key): the bridges with both ends in the key's scope, each with
    /// its live state and window use.
    func listBridges(_ context: RequestContext) async throws(APIError) -> Reply {
        guard let principal = context.principal else { throw .internalError("route without a key") }
        var json = JSONWriter(capacity: 4096)
        json.beginObject()
        json.key("bridges")
        json.beginArray()
        for bridge in bridges.all where principal.covers(segment: bridge.from) && principal.covers(segment: bridge.to) {
            try await writeLive(bridge, to: &json)
        }
        json.endArray()
        json.endObject()
        return Reply(status: 200, body: json.bytes)
    }

    /// `PUT /v1/bridges` (admin on both ends): creates or replaces the bridge `(from, to,
    /// asset)`; 200 with its live entry once the change is durable.
    func putBridge(_ context: RequestContext) async throws(APIError) -> Reply {
        let bridge = try BridgeSpec(json: try context.jsonBody())
        _ = try authorize(context, .admin, segments: [bridge.from, bridge.to])
        if case .degraded(let reason) = state.current { throw .journalUnavailable(reason, retryAfter: 30) }
        var specs: [String: SegmentSpec] = [:]
        for id in [bridge.from, bridge.to] {
            if let engine = registry.engine(id) {
                specs[id] = await engine.spec()
            } else if let remote = remoteSpec(id) {
                specs[id] = remote
            } else if let cluster, cluster.route(id) != .unknown {
                // It exists, but its owner has not published its spec yet (it was just taken
                // or created): not a validation error, a moment to wait.
                throw .segmentUnavailable(id, retryAfter: cluster.membership.settings.retryAfterSeconds)
            }
        }
        do { try bridge.validate { specs[$0] } } catch { throw .invalidBridge(error) }
        try catchUpBridges()
        let ticket = try bridges.put(bridge)
        do { try await ticket.durable() } catch { throw bridgeCommitFailed(error) }
        var json = JSONWriter(capacity: 512)
        try await writeLive(bridge, to: &json)
        return Reply(status: 200, body: json.bytes)
    }

    /// `DELETE /v1/bridges?from=…&to=…&asset=…` (admin on both ends): 200 with the removed
    /// bridge, 404 `unknown_segment` when an end does not exist, `unknown_bridge` when there
    /// is no such bridge.
    func deleteBridge(_ context: RequestContext) async throws(APIError) -> Reply {
        var values: [String: String] = [:]
        for (name, value) in try context.query() where ["from", "to", "asset"].contains(name) {
            guard values[name] == nil else { throw .invalidQuery(name, "given more than once") }
            values[name] = value
        }
        var parts: [String] = []
        for name in ["from", "to", "asset"] {
            guard let value = values[name] else { throw .invalidQuery(name, "required") }
            guard Identifier.isValid(value) else { throw .invalidQuery(name, "must be 1–64 characters of [A-Za-z0-9._-]") }
            parts.append(value)
        }
        let key = BridgeKey(from: parts[0], to: parts[1], asset: parts[2])
        _ = try authorize(context, .admin, segments: [key.from, key.to])
        try requireKnownSegments([key.from, key.to])
        if case .degraded(let reason) = state.current { throw .journalUnavailable(reason, retryAfter: 30) }
        try catchUpBridges()
        let (removed, ticket) = try bridges.remove(key)
        do { try await ticket.durable() } catch { throw bridgeCommitFailed(error) }
        var json = JSONWriter(capacity: 512)
        removed.write(to: &json)
        return Reply(status: 200, body: json.bytes)
    }

    // MARK: Cluster mode: one book shared by every instance

    /// The spec of an end served by another instance, as its owner published it.
    private func remoteSpec(_ id: String) -> SegmentSpec? {
        guard let cluster, let status = cluster.ownerMap.statuses[id] else { return nil }
        return try? SegmentSpec(json: try JSONReader.parse(status.spec))
    }

    /// Changes start from the shared book as it is now, so they apply to what is there.
    private func catchUpBridges() throws(APIError) {
        guard let cluster else { return }
        do { try bridges.reload() } catch {
            throw .journalUnavailable("cluster database: \(error)", retryAfter: cluster.membership.settings.retryAfterSeconds)
        }
    }

    /// Another instance wrote the same stream position first: nothing of ours is durable, so
    /// this copy reloads and the client retries. Anything else is a journal failure.
    private func bridgeCommitFailed(_ error: JournalError) -> APIError {
        guard cluster != nil, error.reason == .conflict else { return commitFailed(error) }
        try? bridges.reload()
        return .bridgeBookBusy(retryAfter: 1)
    }

    private func writeLive(_ bridge: BridgeSpec, to json: inout JSONWriter) async throws(APIError) {
        let status = bridge.status(fromMode: bridges.mode(bridge.from), toMode: bridges.mode(bridge.to))
        // Cluster: a source served elsewhere shows its owner's figure from its last round.
        let used = await registry.engine(bridge.from)?.bridgeUsage(bridge) ?? cluster?.ownerMap.usage(of: bridge) ?? .zero
        bridge.write(status: status, used: used, to: &json)
    }
}
