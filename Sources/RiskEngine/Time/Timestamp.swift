/// A point in time as nanoseconds since the Unix epoch (UTC).
///
/// The engine never reads a clock: every command carries the arrival time the service read
/// once and journaled, so replay reproduces every decision bit for bit.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) {
        self.nanoseconds = nanoseconds
    }

    public init(seconds: Int64) {
        self.nanoseconds = seconds &* 1_000_000_000
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    /// Whole-second-and-fraction distance `self − earlier`, in nanoseconds (saturating).
    public func nanoseconds(since earlier: Timestamp) -> Int64 {
        let (difference, overflow) = nanoseconds.subtractingReportingOverflow(earlier.nanoseconds)
        if overflow { return earlier.nanoseconds > nanoseconds ? .min : .max }
        return difference
    }

    public func adding(seconds: Int64) -> Timestamp {
        let (delta, o1) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, o2) = nanoseconds.addingReportingOverflow(delta)
        if o1 || o2 { return Timestamp(nanoseconds: seconds < 0 ? .min : .max) }
        return Timestamp(nanoseconds: sum)
    }
}
