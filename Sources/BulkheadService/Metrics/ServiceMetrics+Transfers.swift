import CoreMetrics
import RiskEngine

/// Bridge transfers: `bulkhead_transfers_total{from,to,asset,outcome}` (outcome `completed`,
/// `refunded` or the rejection reason) and `bulkhead_transfers_in_transit{asset}`, the amount
/// debited and not yet credited.
extension ServiceMetrics {
    func recordTransfer(_ bridge: BridgeKey, outcome: String) {
        CoreMetrics.Counter(
            label: "bulkhead_transfers_total",
            dimensions: [("from", bridge.from), ("to", bridge.to), ("asset", bridge.asset), ("outcome", outcome)], factory: factory
        ).increment()
    }

    func recordInTransit(asset: String, amount: Amount) {
        CoreMetrics.Gauge(label: "bulkhead_transfers_in_transit", dimensions: [("asset", asset)], factory: factory).record(Self.sample(amount))
    }
}
