import CoreMetrics

extension ServiceMetrics {
    /// Per-segment resource bulkhead figures, refreshed on each scrape: what an operator
    /// reads when one segment is flooded (its shed count climbs and its queue fills while the
    /// others' wait time stays flat).
    func update(bulkhead segment: String, load: SegmentLoad, queueDepth: Int, totalWeight: Int) {
        let labels = [("segment", segment)]
        gauge("bulkhead_segment_queue_depth", labels).record(Double(queueDepth))
        gauge("bulkhead_segment_in_flight_budget", labels).record(Double(load.budget))
        gauge("bulkhead_segment_weight", labels).record(Double(load.weight))
        // Configured share: its weight over the weights of the segments that exist.
        gauge("bulkhead_segment_share", labels).record(totalWeight == 0 ? 0 : Double(load.weight) / Double(totalWeight))
        gauge("bulkhead_segment_admitted_total", labels).record(Double(load.admissions))
        gauge("bulkhead_segment_queue_wait_seconds_total", labels).record(load.waitSeconds)
        let shed = load.shed
        gauge("bulkhead_segment_shed_total", labels + [("stage", "head")]).record(Double(shed.atHead))
        gauge("bulkhead_segment_shed_total", labels + [("stage", "gate")]).record(Double(shed.atGate))
    }
}
