import CoreMetrics
import RiskEngine
import Synchronization

/// Bridge transfers: `bulkhead_transfers_total{from,to,asset,outcome}` (outcome `completed`,
/// `refunded` or the rejection reason) and `bulkhead_transfers_in_transit{asset}`, the amount
/// debited and not yet credited (set on each scrape from the coordinator's totals).
extension ServiceMetrics {
    func recordTransfer(_ bridge: BridgeKey, outcome: String) {
        transferCounters.counter(bridge, outcome, factory: factory).increment()
    }

    func recordInTransit(asset: String, amount: Amount) {
        CoreMetrics.Gauge(label: "bulkhead_transfers_in_transit", dimensions: [("asset", asset)], factory: factory).record(Self.sample(amount))
    }
}

/// The transfer counters by bridge and outcome, each created once (a transfer is on the
/// request path: building a labelled series per request would cost more than the count).
/// Bounded by bridges × outcomes.
final class TransferCounters: Sendable {
    private struct Key: Hashable {
        var bridge: BridgeKey
        var outcome: String
    }

    private let series = Mutex<[Key: CoreMetrics.Counter]>([:])

    func counter(_ bridge: BridgeKey, _ outcome: String, factory: some MetricsFactory) -> CoreMetrics.Counter {
        let key = Key(bridge: bridge, outcome: outcome)
        if let found = series.withLock({ $0[key] }) { return found }
        let counter = CoreMetrics.Counter(
            label: "bulkhead_transfers_total",
            dimensions: [("from", bridge.from), ("to", bridge.to), ("asset", bridge.asset), ("outcome", outcome)], factory: factory)
        return series.withLock { $0[key, default: counter] }
    }
}
