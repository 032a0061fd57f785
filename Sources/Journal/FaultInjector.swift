import Synchronization

/// Test hook: makes upcoming commits fail as if the fsync or a write had failed. The writer
/// consults it just before COMMIT, so the whole batch is rolled back and the journal fails
/// closed exactly as it would on a real I/O error.
public final class FaultInjector: Sendable {
    private let commitsToFail = Mutex(0)

    public init() {}

    public func failNextCommit() { failCommits(1) }

    public func failCommits(_ count: Int) {
        commitsToFail.withLock { $0 += count }
    }

    /// Consumes one injected failure, if any is armed.
    func takeCommitFailure() -> Bool {
        commitsToFail.withLock { pending in
            guard pending > 0 else { return false }
            pending -= 1
            return true
        }
    }
}
