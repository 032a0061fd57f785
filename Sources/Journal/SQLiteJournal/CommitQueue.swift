#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bounded hand-off between `submit` (any thread, never blocks) and the writer thread
/// (blocks on a condition variable while the queue is empty). A pthread condition rather
/// than `Mutex` because the writer must sleep without spinning.
final class CommitQueue: @unchecked Sendable {
    enum Admission { case accepted, full, closed }

    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let ready = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var operations: [QueuedOperation] = []
    private var pendingWeight = 0
    private var isClosed = false

    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
        pthread_mutex_init(lock, nil)
        pthread_cond_init(ready, nil)
    }

    deinit {
        pthread_cond_destroy(ready)
        pthread_mutex_destroy(lock)
        lock.deallocate()
        ready.deallocate()
    }

    /// Appends in call order. A control operation (reopen, close) is always admitted so that a
    /// full queue can never block recovery.
    func enqueue(_ item: QueuedOperation, bypassBound: Bool = false) -> Admission {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        if isClosed { return .closed }
        let weight = item.operation.weight
        if !bypassBound, pendingWeight > 0, pendingWeight + weight > capacity { return .full }
        operations.append(item)
        pendingWeight += weight
        pthread_cond_signal(ready)
        return .accepted
    }

    /// Blocks until work is queued; returns everything queued. `nil` once closed and drained.
    func takeAll() -> [QueuedOperation]? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while operations.isEmpty && !isClosed {
            pthread_cond_wait(ready, lock)
        }
        if operations.isEmpty { return nil }
        let taken = operations
        operations.removeAll(keepingCapacity: true)
        pendingWeight = 0
        return taken
    }

    /// Refuses new work; the writer drains what is queued, then `takeAll` returns nil.
    func close() {
        pthread_mutex_lock(lock)
        isClosed = true
        pthread_cond_signal(ready)
        pthread_mutex_unlock(lock)
    }

    var closed: Bool {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return isClosed
    }

    var pending: Int {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        return pendingWeight
    }
}
