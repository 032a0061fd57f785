import Synchronization

/// A client address (IPv6, IPv4 mapped) as two words: cheap to hash, no String.
struct AddressKey: Hashable, Sendable {
    var high: UInt64
    var low: UInt64
}

/// Per-client-address connection counts and request buckets, shared by the loops.
/// Bounded: when full, entries with no connection are evicted (full buckets first).
final class AddressTable: Sendable {
    private struct Entry {
        var connections = 0
        var bucket: TokenBucket?
    }

    private let entries = Mutex<[AddressKey: Entry]>([:])
    let capacity: Int
    let maxConnections: Int?
    let rate: HTTPRateLimit?

    init(capacity: Int, maxConnections: Int?, rate: HTTPRateLimit?) {
        self.capacity = max(16, capacity)
        self.maxConnections = maxConnections
        self.rate = rate
    }

    /// Registers a new connection; false when the address is at its connection cap.
    func open(_ key: AddressKey, now: Int64) -> Bool {
        entries.withLock { table in
            if var entry = table[key] {
                if let maxConnections, entry.connections >= maxConnections { return false }
                entry.connections += 1
                table[key] = entry
                return true
            }
            if maxConnections == 0 { return false }
            Self.makeRoom(&table, capacity: capacity, now: now)
            table[key] = Entry(connections: 1)
            return true
        }
    }

    func close(_ key: AddressKey) {
        entries.withLock { table in
            guard var entry = table[key] else { return }
            entry.connections -= 1
            if entry.connections <= 0 && entry.bucket == nil {
                table[key] = nil
            } else {
                table[key] = entry
            }
        }
    }

    /// Takes a request token for the address; returns `Retry-After` seconds when limited.
    func takeRequest(_ key: AddressKey, now: Int64) -> Int? {
        guard let rate else { return nil }
        return entries.withLock { table in
            var entry = table[key] ?? {
                Self.makeRoom(&table, capacity: capacity, now: now)
                return Entry()
            }()
            if entry.bucket == nil { entry.bucket = TokenBucket(limit: rate, now: now) }
            let allowed = entry.bucket!.take(now: now)
            let retry = entry.bucket!.retryAfterSeconds
            table[key] = entry
            return allowed ? nil : retry
        }
    }

    var count: Int { entries.withLock { $0.count } }

    private static func makeRoom(_ table: inout [AddressKey: Entry], capacity: Int, now: Int64) {
        guard table.count >= capacity else { return }
        // Drop idle entries whose bucket has refilled (they carry no state worth keeping).
        var idle: [AddressKey] = []
        for (key, var entry) in table where entry.connections == 0 {
            if entry.bucket?.isFull(now: now) ?? true { idle.append(key) }
        }
        for key in idle { table[key] = nil }
        guard table.count >= capacity else { return }
        // Still full: forget idle entries even if their bucket is not full yet.
        let busy = table.filter { $0.value.connections > 0 }
        if busy.count < table.count {
            table = busy
        }
    }
}
