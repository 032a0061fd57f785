import Journal
import Synchronization

/// Answers repeated `Idempotency-Key` requests. Durable records live in the journal (written
/// in the same batch as the change); this ledger keeps a bounded in-memory cache in front of
/// it and tracks requests in flight, so a concurrent duplicate waits for the first one's
/// answer instead of applying twice.
final class IdempotencyLedger: Sendable {
    /// A stored answer to replay.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]
        var headers: [(String, String)] = []
    }

    enum Claim: Sendable {
        /// First with this key: run the request, then call `finish`.
        case proceed
        case replay(Answer)
        /// Same key, different request.
        case conflict
    }

    private struct Pending {
        var requestHash: [UInt8]
        var waiters: [CheckedContinuation<Claim, Never>]
    }

    private struct State {
        /// Two generations approximate LRU in O(1): hits move to `recent`; when `recent`
        /// fills, it becomes `older` and the previous `older` is dropped.
        var recent: [String: IdempotencyRecord] = [:]
        var older: [String: IdempotencyRecord] = [:]
        var pending: [String: Pending] = [:]
    }

    private let state = Mutex(State())
    private let generationCapacity: Int
    private let retentionNanoseconds: Int64
    private let journal: any JournalStore
    private let clock: any ServiceClock

    init(capacity: Int, retentionSeconds: Int64, journal: any JournalStore, clock: any ServiceClock) {
        self.generationCapacity = max(1, capacity / 2)
        self.retentionNanoseconds = retentionSeconds &* 1_000_000_000
        self.journal = journal
        self.clock = clock
    }

    /// Claims `key` for a request with `requestHash`.
    func claim(key: String, requestHash: [UInt8]) async throws(JournalError) -> Claim {
        enum Step {
            case done(Claim)
            case wait
            case lookUp
        }
        let cutoff = clock.now().nanoseconds &- retentionNanoseconds
        let step: Step = state.withLock { state in
            if let record = Self.cached(key, in: &state, capacity: generationCapacity), record.createdAt >= cutoff {
                return .done(Self.claim(for: record, requestHash: requestHash))
            }
            if let pending = state.pending[key] {
                return pending.requestHash == requestHash ? .wait : .done(.conflict)
            }
            state.pending[key] = Pending(requestHash: requestHash, waiters: [])
            return .lookUp
        }
        switch step {
        case .done(let claim):
            return claim
        case .wait:
            return await withCheckedContinuation { continuation in
                let resumeNow: Claim? = state.withLock { state in
                    if state.pending[key] != nil {
                        state.pending[key]!.waiters.append(continuation)
                        return nil
                    }
                    // Finished between the two locks: answer from the cache (or run again).
                    if let record = Self.cached(key, in: &state, capacity: generationCapacity) {
                        return Self.claim(for: record, requestHash: requestHash)
                    }
                    state.pending[key] = Pending(requestHash: requestHash, waiters: [])
                    return .proceed
                }
                if let resumeNow { continuation.resume(returning: resumeNow) }
            }
        case .lookUp:
            let stored: IdempotencyRecord?
            do {
                stored = try journal.idempotencyRecord(key: key)
            } catch {
                finish(key: key, answer: nil, record: nil)
                throw error
            }
            if let stored, stored.createdAt >= cutoff {
                let claim = Self.claim(for: stored, requestHash: requestHash)
                finish(key: key, answer: nil, record: stored)
                return claim
            }
            return .proceed
        }
    }

    /// Releases a claim. `record` is the durable answer (cached for later repeats); waiting
    /// duplicates get `answer` (the first request's reply, also when it was an error).
    func finish(key: String, answer: Answer?, record: IdempotencyRecord?) {
        let waiters: [CheckedContinuation<Claim, Never>] = state.withLock { state in
            let waiters = state.pending.removeValue(forKey: key)?.waiters ?? []
            if let record { Self.insert(record, in: &state, capacity: generationCapacity) }
            return waiters
        }
        for waiter in waiters {
            if let record {
                waiter.resume(returning: .replay(Answer(status: record.status, body: record.body)))
            } else if let answer {
                waiter.resume(returning: .replay(answer))
            } else {
                waiter.resume(returning: .proceed)
            }
        }
    }

    private static func claim(for record: IdempotencyRecord, requestHash: [UInt8]) -> Claim {
        record.requestHash == requestHash ? .replay(Answer(status: record.status, body: record.body)) : .conflict
    }

    private static func cached(_ key: String, in state: inout State, capacity: Int) -> IdempotencyRecord? {
        if let record = state.recent[key] { return record }
        guard let record = state.older.removeValue(forKey: key) else { return nil }
        insert(record, in: &state, capacity: capacity)
        return record
    }

    private static func insert(_ record: IdempotencyRecord, in state: inout State, capacity: Int) {
        if state.recent.count >= capacity {
            state.older = state.recent
            state.recent = [:]
        }
        state.recent[record.key] = record
    }
}
