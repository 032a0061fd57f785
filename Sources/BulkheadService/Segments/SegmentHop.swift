import Journal
import Synchronization

/// The hop from the event loops to the segment actors, shared by every segment: at most
/// `concurrency` segment commands are queued on or running in an actor at once (their
/// journal wait is outside; the writer shares its batches fairly itself). Beyond that, each
/// waits in its segment's queue and slots are handed on by weighted fair share (`FairScheduler`, deficit round robin), so a quiet segment's request
/// is next whatever a flooded segment's backlog — the CockroachDB admission-queue idea.
///
/// Bounded: a segment queues at most its in-flight budget (its gate admits no more), and
/// the scheduler refuses beyond `maxSegments` busy segments (answered `segment_busy`).
final class SegmentHop: Sendable {
    /// Resumed with true when handed a slot, false when refused.
    typealias Waiter = CheckedContinuation<Bool, Never>

    private struct State {
        var running = 0
        var waiting: FairScheduler<String, Waiter>
    }

    let concurrency: Int
    private let state: Mutex<State>
    /// Test hook: told (outside the lock) each time a request starts waiting, by segment.
    private let didQueue: (@Sendable (String) -> Void)?

    init(concurrency: Int, maxSegments: Int, weights: [String: Int], didQueue: (@Sendable (String) -> Void)? = nil) {
        self.concurrency = max(1, concurrency)
        self.didQueue = didQueue
        var waiting = FairScheduler<String, Waiter>(limits: .init(quantum: 1, maxQueuedPerKey: 1 << 20, maxKeys: max(1, maxSegments)))
        for (segment, weight) in weights { waiting.setWeight(weight, for: segment) }
        state = Mutex(State(waiting: waiting))
    }

    /// Takes a slot when one is free and nobody waits. Synchronous, so the hot path pays
    /// no async frame for the hop.
    func tryEnter() -> Bool {
        state.withLock { state in
            guard state.running < concurrency, state.waiting.isEmpty else { return false }
            state.running += 1
            return true
        }
    }

    /// Takes a slot at once when one is free and nobody waits, else waits for a fair turn.
    /// False when the wait queue refused (too many busy segments).
    func enter(_ segment: String) async -> Bool {
        if tryEnter() { return true }
        return await waitForTurn(segment)
    }

    /// Queues in the segment's lane until `leave` hands it a slot.
    func waitForTurn(_ segment: String) async -> Bool {
        enum Entry { case entered, wait, refused }
        return await withCheckedContinuation { (continuation: Waiter) in
            let entry: Entry = state.withLock { state in
                // A slot may have freed between the two locks: take it rather than wait.
                if state.running < concurrency, state.waiting.isEmpty {
                    state.running += 1
                    return .entered
                }
                do {
                    try state.waiting.enqueue(continuation, for: segment)
                    return .wait
                } catch {
                    return .refused
                }
            }
            switch entry {
            case .entered: continuation.resume(returning: true)
            case .wait: didQueue?(segment)
            case .refused: continuation.resume(returning: false)
            }
        }
    }

    /// Frees a slot: hands it to the next waiter by fair share, if any.
    func leave() {
        let next: Waiter? = state.withLock { state in
            if let next = state.waiting.dequeue() { return next.item }  // the slot passes on
            state.running -= 1
            return nil
        }
        next?.resume(returning: true)
    }

    /// Requests waiting per segment id.
    func depth(of segment: String) -> Int {
        state.withLock { $0.waiting.depth(of: segment) }
    }

    /// The order waiting segments are served in (for tests and debugging).
    var waitingSegments: [String] { state.withLock { $0.waiting.busyKeys } }

    var running: Int { state.withLock { $0.running } }
}
