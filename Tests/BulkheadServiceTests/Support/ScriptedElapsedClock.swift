import BulkheadService
import Dispatch
import Synchronization

/// An `ElapsedClock` for stress runs (#13): every read advances `step` nanoseconds, and read
/// number `holdAt` (1-based) blocks its caller until `release()`. The handler reads it once
/// for the deadline, then the run reads it before every step on its own thread, so
/// `holdAt: 2` holds a run in progress after its copies are taken — no sleep, no timing.
final class ScriptedElapsedClock: ElapsedClock {
    private let state = Mutex<(reads: Int, now: UInt64)>((0, 0))
    private let step: UInt64
    private let holdAt: Int?
    private let reached = DispatchSemaphore(value: 0)
    private let released = DispatchSemaphore(value: 0)

    init(step: UInt64 = 0, holdAt: Int? = nil) {
        self.step = step
        self.holdAt = holdAt
    }

    func nanoseconds() -> UInt64 {
        let (read, now) = state.withLock { state in
            state.reads += 1
            state.now += step
            return (state.reads, state.now)
        }
        if read == holdAt {
            reached.signal()
            released.wait()
        }
        return now
    }

    /// Returns once a caller is blocked on read `holdAt`.
    func waitUntilHeld() async throws {
        try await onThread { [reached] in reached.wait() }
    }

    func release() { released.signal() }
}
