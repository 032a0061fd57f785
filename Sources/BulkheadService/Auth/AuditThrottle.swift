import Synchronization

/// Bounds audit log lines per second so a flood of bad keys cannot flood the log (and the
/// disk behind it). Lines over the limit are counted, and the count is reported with the
/// first line of a later second.
public final class AuditThrottle: Sendable {
    public static let defaultLinesPerSecond = 200

    private struct Window {
        var second: Int64 = .min
        var written = 0
        var suppressed = 0
    }

    private let limit: Int
    private let now: @Sendable () -> Int64
    private let window = Mutex(Window())

    /// `now` gives whole seconds from any fixed origin (monotonic by default).
    public init(linesPerSecond: Int = defaultLinesPerSecond, now: (@Sendable () -> Int64)? = nil) {
        self.limit = max(1, linesPerSecond)
        self.now = now ?? AuditThrottle.monotonicSeconds
    }

    private static let start = ContinuousClock.now

    @Sendable private static func monotonicSeconds() -> Int64 {
        (ContinuousClock.now - start).components.seconds
    }

    /// Whether a line may be written now; if so, how many were suppressed before it.
    public func admit() -> (allowed: Bool, suppressedBefore: Int) {
        let second = now()
        return window.withLock { window in
            if second != window.second {
                let suppressed = window.suppressed
                window = Window(second: second, written: 1, suppressed: 0)
                return (true, suppressed)
            }
            if window.written < limit {
                window.written += 1
                return (true, 0)
            }
            window.suppressed += 1
            return (false, 0)
        }
    }
}
