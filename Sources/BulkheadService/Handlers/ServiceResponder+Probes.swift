extension ServiceResponder {
    func healthz() -> Reply {
        Reply(status: 200, body: Array(#"{"status":"ok"}"#.utf8))
    }

    func readyz() -> Reply {
        let phase = state.current
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("status")
        json.string(phase.name)
        // Cluster mode (issue 15): ready means the first ownership round is done and these
        // segments, the ones this instance owns, are loaded and served.
        if let cluster {
            json.key("segments")
            json.array(cluster.served) { $0.string($1) }
        }
        switch phase {
        case .ready:
            json.endObject()
            return Reply(status: 200, body: json.bytes)
        case .starting:
            json.key("reason"); json.string("recovering segments from the journal")
        case .draining:
            json.key("reason"); json.string("shutting down")
        case .degraded(let reason):
            json.key("reason"); json.string(reason)
        }
        json.endObject()
        return Reply(status: 503, body: json.bytes)
    }

    func metricsExposition() async -> Reply {
        let totalWeight = registry.totalWeight
        for engine in registry.all {
            metrics.update(segment: await engine.view(), inFlight: engine.gate.inFlight)
            metrics.update(
                bulkhead: engine.id, load: engine.load, queueDepth: hop.depth(of: engine.id),
                totalWeight: totalWeight)
            metrics.update(events: engine.id, hub: engine.hub)
        }
        metrics.update(
            eventStreams: eventSlots.count, limit: eventSlots.limit, bridgeEventsLost: bridges.events.publisher?.counts.lost ?? 0)
        if let journal = journalMetrics() { metrics.update(journal: journal) }
        if let cluster { metrics.update(cluster: cluster) }
        transfers.publishInTransit()
        return Reply(status: 200, body: metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
