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

/// The real wall clock (`CLOCK_REALTIME`).
public struct WallClock: ServiceClock {
    public init() {}

    public func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Timestamp(nanoseconds: Int64(spec.tv_sec) &* 1_000_000_000 &+ Int64(spec.tv_nsec))
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
