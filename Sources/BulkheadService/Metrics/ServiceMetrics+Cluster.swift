// Cluster mode (issue 15): per-instance ownership figures, refreshed on each scrape.
extension ServiceMetrics {
    func update(cluster: SegmentOwnership) {
        let figures = cluster.counters.current
        gauge("bulkhead_cluster_owned_segments", []).record(Double(cluster.served.count))
        gauge("bulkhead_cluster_lease_renewals", []).record(Double(figures.renewals))
        gauge("bulkhead_cluster_lease_renewal_failures", []).record(Double(figures.renewalFailures))
        gauge("bulkhead_cluster_fencing_events", []).record(Double(figures.fencingEvents))
        gauge("bulkhead_cluster_takeovers", []).record(Double(figures.takeovers))
        gauge("bulkhead_cluster_handoffs", []).record(Double(figures.handoffs))
        gauge("bulkhead_cluster_transfer_credits", []).record(Double(figures.transferCredits))
        gauge("bulkhead_cluster_transfer_refusals", []).record(Double(figures.transferRefusals))
        gauge("bulkhead_cluster_transfer_settlements", []).record(Double(figures.transferSettlements))
        gauge("bulkhead_cluster_transfer_relay_failures", []).record(Double(figures.relayFailures))
    }
}
