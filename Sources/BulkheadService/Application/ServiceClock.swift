#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import RiskEngine

/// Where arrival times come from. Read once per command, then journaled: replay and the
/// engine never read a clock. Tests inject a fixed or stepping clock.
public protocol ServiceClock: Sendable {
    func now() -> Timestamp
}

/// The real wall clock (`CLOCK_REALTIME`), read to the millisecond: every response shows
/// times with exactly three fraction digits, so a recorded arrival time is exactly what a
/// client reads back (and nothing in the rules needs finer than a millisecond).
public struct WallClock: ServiceClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        let millisecond = Int64(spec.tv_nsec) / 1_000_000 * 1_000_000
        return Timestamp(nanoseconds: Int64(spec.tv_sec) &* 1_000_000_000 &+ millisecond)
    }
}

/// Monotonic nanoseconds for latency measurements (never for decisions).
enum MonotonicClock {
    static func nanoseconds() -> UInt64 {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return UInt64(spec.tv_sec) &* 1_000_000_000 &+ UInt64(spec.tv_nsec)
    }
}
