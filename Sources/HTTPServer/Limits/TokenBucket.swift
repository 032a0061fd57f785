/// A token bucket over a clock in nanoseconds (the loops' monotonic clock; the service's
/// per-key quotas pass their own). Public so the application's limits share its arithmetic.
public struct TokenBucket: Sendable {
    private var tokens: Double
    private var updatedAt: Int64
    public let limit: HTTPRateLimit

    public init(limit: HTTPRateLimit, now: Int64) {
        self.limit = limit
        tokens = Double(max(1, limit.burst))
        updatedAt = now
    }

    /// Takes one token; false when the bucket is empty.
    public mutating func take(now: Int64) -> Bool {
        refill(now: now)
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Whether the bucket is full again (so its entry can be forgotten).
    public mutating func isFull(now: Int64) -> Bool {
        refill(now: now)
        return tokens >= Double(max(1, limit.burst))
    }

    /// Whole seconds until the next token, at least 1 (for `Retry-After`).
    public var retryAfterSeconds: Int {
        guard limit.requestsPerSecond > 0 else { return 60 }
        return max(1, Int(((1 - tokens) / limit.requestsPerSecond).rounded(.up)))
    }

    private mutating func refill(now: Int64) {
        // Loops share a per-address bucket but each passes its own cached `now`: never move
        // the bucket's time backwards, or the same interval would be credited twice.
        guard now > updatedAt else { return }
        let elapsed = Double(now - updatedAt) / 1e9
        updatedAt = now
        tokens = min(Double(max(1, limit.burst)), tokens + elapsed * limit.requestsPerSecond)
    }
}
