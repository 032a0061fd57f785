/// When a segment writes a snapshot: after `everyEntries` journaled entries, or when
/// `everySeconds` have passed since the last one and at least one entry is new. Zero disables
/// a trigger. Elapsed time comes from the caller's monotonic clock: it schedules I/O only and
/// never feeds a risk decision.
public struct SnapshotPolicy: Sendable, Equatable {
    public var everyEntries: UInt64
    public var everySeconds: UInt64

    public init(everyEntries: UInt64 = 10_000, everySeconds: UInt64 = 300) {
        self.everyEntries = everyEntries
        self.everySeconds = everySeconds
    }

    public static let disabled = SnapshotPolicy(everyEntries: 0, everySeconds: 0)

    public func isDue(entriesSinceSnapshot: UInt64, nanosecondsSinceSnapshot: UInt64) -> Bool {
        guard entriesSinceSnapshot > 0 else { return false }
        if everyEntries > 0, entriesSinceSnapshot >= everyEntries { return true }
        if everySeconds > 0, nanosecondsSinceSnapshot / 1_000_000_000 >= everySeconds { return true }
        return false
    }
}
