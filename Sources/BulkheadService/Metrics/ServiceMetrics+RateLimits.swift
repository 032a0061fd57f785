import CoreMetrics
import Synchronization

/// Requests refused for a rate limit (#17): `bulkhead_rate_limited_total{key}` by API key id
/// (never the key), `key="(none)"` for those limited per client address or connection (no key, or one
/// not verified). Ids are `[A-Za-z0-9._-]`, so the parenthesized label cannot be a key's.
extension ServiceMetrics {
    static let addressLimitedLabel = "(none)"

    func recordRateLimited(keyID: String?) {
        rateLimitCounters.counter(keyID ?? Self.addressLimitedLabel, factory: factory).increment()
    }
}

/// One counter per key id, created once; bounded by the configured keys (+ the address label).
final class RateLimitCounters: Sendable {
    private let series = Mutex<[String: CoreMetrics.Counter]>([:])

    func counter(_ label: String, factory: some MetricsFactory) -> CoreMetrics.Counter {
        if let found = series.withLock({ $0[label] }) { return found }
        let counter = CoreMetrics.Counter(label: "bulkhead_rate_limited_total", dimensions: [("key", label)], factory: factory)
        return series.withLock { $0[label, default: counter] }
    }
}
