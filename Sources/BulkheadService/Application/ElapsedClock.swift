/// Monotonic nanoseconds for limits on elapsed time (`stress.timeoutSeconds`). Never the wall
/// clock, which can jump, and never read for a risk decision. Tests inject one they step or
/// hold, so a timeout or a run in progress needs no sleep.
public protocol ElapsedClock: Sendable {
    func nanoseconds() -> UInt64
}

/// `CLOCK_MONOTONIC`.
public struct MonotonicElapsedClock: ElapsedClock {
    public init() {}

    public func nanoseconds() -> UInt64 { MonotonicClock.nanoseconds() }
}
