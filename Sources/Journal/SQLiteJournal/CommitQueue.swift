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
///
/// One FIFO per segment, drained by weighted fair share (`FairScheduler`): each batch takes
/// turns across the segments with work queued, so a segment with one entry gets into the next
/// batch however deep another segment's backlog (a flooded segment cannot make the others
/// wait several commits). Order within a segment is submission order, which the sequences
/// need.
final class CommitQueue: @unchecked Sendable {
    enum Admission { case accepted, full, closed }

    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let ready = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `lock`.
    private var operations: FairScheduler<String, QueuedOperation>
    private var pendingWeight = 0
    private var isClosed = false

    let capacity: Int
    let maxBatchOperations: Int

    init(capacity: Int, maxBatchOperations: Int = .max, weights: [String: Int] = [:]) {
        self.capacity = capacity
        self.maxBatchOperations = max(1, maxBatchOperations)
        // Every queued operation weighs at least 1, so `capacity` bounds keys and depth too;
        // the extra keys leave room for control operations admitted past the bound.
        var scheduler = FairScheduler<String, QueuedOperation>(
            limits: .init(quantum: 1, maxQueuedPerKey: capacity + 16, maxKeys: capacity + 16))
        for (segment, weight) in weights { scheduler.setWeight(weight, for: segment) }
        operations = scheduler
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
        do {
            try operations.enqueue(item, for: item.operation.fairnessKey, cost: weight)
        } catch {
            return .full
        }
        pendingWeight += weight
        pthread_cond_signal(ready)
        return .accepted
    }

    /// Blocks until work is queued; returns the next batch (at most `maxBatchOperations`) by
    /// fair share across segments. `nil` once closed and drained.
    func takeBatch() -> [QueuedOperation]? {
        pthread_mutex_lock(lock)
        defer { pthread_mutex_unlock(lock) }
        while operations.isEmpty && !isClosed {
            pthread_cond_wait(ready, lock)
        }
        if operations.isEmpty { return nil }
        let taken = operations.dequeueBatch(maxItems: maxBatchOperations).map { $0.item }
        for item in taken { pendingWeight -= item.operation.weight }
        return taken
    }

    /// Refuses new work; the writer drains what is queued, then `takeBatch` returns nil.
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
