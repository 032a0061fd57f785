import HTTPServer
import Synchronization

/// The application's request limits (#17), after the key is known: a token bucket per API
/// key (its `rateLimit` in keys.json, else its role's default), and a bucket per client
/// address for requests that carry a key the transport let through but that is not verified
/// (unknown, malformed, refused) or not looked at (a probe, an unknown route).
///
/// Requests without `Authorization` are limited per address by the transport as before.
/// Bounded: one bucket per configured key (the authorizer only yields configured keys) and
/// at most `maxAddresses` address buckets (full ones are forgotten first).
final class RequestQuotas: Sendable {
    private let keys = Mutex<[String: TokenBucket]>([:])
    private let addresses = Mutex<[String: TokenBucket]>([:])
    let settings: KeyQuotaSettings
    /// The per-address rate for unverified keyed requests; nil when the transport already
    /// counts them (`addressLimitsApplyToKeys`) or the address limit is off.
    let addressRate: HTTPRateLimit?
    let maxAddresses: Int
    /// Nanoseconds; the service clock (a manual clock in tests, so no test waits).
    let now: @Sendable () -> Int64

    init(settings: KeyQuotaSettings, addressRate: HTTPRateLimit?, maxAddresses: Int, now: @escaping @Sendable () -> Int64) {
        self.settings = settings
        self.addressRate = settings.addressLimitsApplyToKeys ? nil : addressRate
        self.maxAddresses = max(16, maxAddresses)
        self.now = now
    }

    /// Takes a token from the key's bucket: nil when the request may go on, else the seconds
    /// until the bucket has a token again (Retry-After).
    func charge(_ principal: Principal) -> Int? {
        guard let quota = settings.quota(for: principal) else { return nil }
        let now = now()
        return keys.withLock { table in
            var bucket = table[principal.keyID] ?? TokenBucket(limit: quota, now: now)
            let allowed = bucket.take(now: now)
            table[principal.keyID] = bucket
            return allowed ? nil : bucket.retryAfterSeconds
        }
    }

    /// Takes a token from the address's bucket for a keyed request that no verified key pays
    /// for; nil when it may go on (or the request has no `Authorization`: the transport
    /// counted it).
    func chargeUnverified(_ request: HTTPRequestSummary) -> Int? {
        guard let rate = addressRate, request.hasCredentials else { return nil }
        let now = now()
        return addresses.withLock { table in
            if table[request.address] == nil, table.count >= maxAddresses { Self.makeRoom(&table, now: now) }
            var bucket = table[request.address] ?? TokenBucket(limit: rate, now: now)
            let allowed = bucket.take(now: now)
            table[request.address] = bucket
            return allowed ? nil : bucket.retryAfterSeconds
        }
    }

    var trackedAddresses: Int { addresses.withLock { $0.count } }

    /// Forgets buckets that have refilled (they hold nothing); if none has, forgets all: an
    /// address flood then costs the flooders their history too, never unbounded memory.
    private static func makeRoom(_ table: inout [String: TokenBucket], now: Int64) {
        var full: [String] = []
        for (address, var bucket) in table where bucket.isFull(now: now) { full.append(address) }
        if full.isEmpty {
            table.removeAll(keepingCapacity: true)
        } else {
            for address in full { table[address] = nil }
        }
    }
}

/// What the quotas need of a request: where it came from and whether it carries a key.
struct HTTPRequestSummary {
    /// The client's address without its port (one bucket per host, not per connection).
    var address: String
    var hasCredentials: Bool

    /// `203.0.113.5:41234` → `203.0.113.5`, `[2001:db8::1]:41234` → `[2001:db8::1]`.
    static func host(of peer: String) -> String {
        guard let colon = peer.lastIndex(of: ":"), peer.first == "[" || !peer[..<colon].contains(":") else { return peer }
        return String(peer[..<colon])
    }
}
