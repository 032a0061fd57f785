import CoreMetrics

extension ServiceMetrics {
    /// One segment's event stream (API.md "Events"), on scrape: a climbing dropped count says
    /// subscribers cannot keep up (they reconnect with Last-Event-ID), delivered over
    /// published is the fan-out.
    func update(events segment: String, hub: EventHub) {
        let labels = [("segment", segment)]
        let figures = hub.figures
        gauge("bulkhead_event_subscribers", labels).record(Double(figures.subscribers))
        gauge("bulkhead_event_subscribers_dropped_total", labels).record(Double(figures.dropped))
        gauge("bulkhead_events_published_total", labels).record(Double(figures.published))
        gauge("bulkhead_events_delivered_total", labels).record(Double(figures.delivered))
    }

    /// Service-wide: open streams against `events.maxSubscribers`, and bridge events the
    /// publisher's bound made it lose.
    func update(eventStreams open: Int, limit: Int, bridgeEventsLost: Int) {
        gauge("bulkhead_event_streams_open", []).record(Double(open))
        gauge("bulkhead_event_streams_limit", []).record(Double(limit))
        gauge("bulkhead_bridge_events_lost_total", []).record(Double(bridgeEventsLost))
    }
}
