import HTTPServer

/// Request quotas by API key (#17). A verified key is limited by its own token bucket: its
/// `rateLimit` in keys.json, else its role's default here. Requests without a verified key
/// (none sent, unknown, refused) stay limited per client address (`http.address…`).
public struct KeyQuotaSettings: Sendable, Hashable {
    /// Default quota of each role (`rateLimits.<role>.requestsPerSecond` / `.burst`);
    /// `requestsPerSecond` 0 means no quota. The old per-address default for every role:
    /// far above one real client (a market maker, a price feed), so no client that worked
    /// behind the address limit is throttled by its key; the platform's own services get a
    /// `rateLimit` of their own in keys.json.
    public var byRole: [Role: HTTPRateLimit] = [
        .admin: HTTPRateLimit(requestsPerSecond: 2_000, burst: 4_000),
        .oracle: HTTPRateLimit(requestsPerSecond: 2_000, burst: 4_000),
        .trading: HTTPRateLimit(requestsPerSecond: 2_000, burst: 4_000),
        .read: HTTPRateLimit(requestsPerSecond: 2_000, burst: 4_000),
    ]
    /// `rateLimits.addressLimitsApplyToKeys`: also count requests with a key against the
    /// per-address and per-connection rates (the behaviour before #17). Off by default, so
    /// one address carrying a high-quota key is not throttled by the address limit.
    public var addressLimitsApplyToKeys = false

    public init() {}

    /// The quota of a key: its own, else its role's; nil when it has none.
    func quota(for principal: Principal) -> HTTPRateLimit? {
        let limit = principal.rateLimit ?? byRole[principal.role]
        guard let limit, limit.requestsPerSecond > 0 else { return nil }
        return limit
    }
}
