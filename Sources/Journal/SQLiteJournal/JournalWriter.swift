import CSQLite
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The single writer: a dedicated OS thread (the fsync blocks, so it must not occupy a
/// thread of the Swift concurrency pool) that takes a fair batch of what is queued into one transaction,
/// commits it (one fsync with `synchronous=FULL`), then resolves every ticket of the batch.
///
/// Each operation runs inside a savepoint: a uniqueness conflict fails only that operation.
/// A storage failure (or an injected one) rolls back the whole batch, fails all its tickets
/// with `isStorageFailure`, and leaves the journal failed until `reopen`.
final class JournalWriter: @unchecked Sendable {
    // Only touched on the writer thread (and in init, before the thread starts).
    private var write: WriteConnection?
    private let configuration: SQLiteJournal.Configuration
    private let queue: CommitQueue
    private let status: JournalStatus

    init(configuration: SQLiteJournal.Configuration, queue: CommitQueue, status: JournalStatus) throws(SQLiteError) {
        self.configuration = configuration
        self.queue = queue
        self.status = status
        self.write = try WriteConnection(configuration: configuration)
    }

    /// Starts the thread; it runs until the queue is closed and drained.
    func start() -> pthread_t {
        DedicatedThread.start(name: "journal-writer") { self.run() }
    }

    private func run() {
        while true {
            configuration.writerGate?.waitForTurn()
            guard let batch = queue.takeBatch() else { break }
            configuration.writerGate?.record(batch.map(\.operation.fairnessKey))
            var group: [QueuedOperation] = []
            for item in batch {
                if case .reopen = item.operation {
                    commit(group)
                    group.removeAll()
                    reopen(item.ticket)
                } else {
                    group.append(item)
                }
            }
            commit(group)
        }
        write?.close()
        write = nil
    }

    private func commit(_ batch: [QueuedOperation]) {
        guard !batch.isEmpty else { return }
        if case .failed(let message) = status.health {
            fail(batch, JournalError(.storage, message: "journal failed earlier: \(message)"))
            return
        }
        guard let write else {
            fail(batch, JournalError(.storage, message: "journal has no open connection"))
            return
        }
        let started = Self.monotonicNanoseconds()
        var outcomes = [Result<Void, JournalError>](repeating: .success(()), count: batch.count)
        do throws(SQLiteError) {
            try write.begin.run()
            for (index, item) in batch.enumerated() {
                // One statement is undone on its own when it fails (SQLite's statement
                // rollback), so only an operation of several statements needs a savepoint.
                let guarded = item.operation.statementCount > 1
                if guarded { try write.savepoint.run() }
                do throws(SQLiteError) {
                    try write.apply(item.operation)
                } catch let error where !error.isStorageFailure {
                    if guarded { try write.rollbackToSavepoint.run() }
                    outcomes[index] = .failure(Self.journalError(error))
                }
                if guarded { try write.release.run() }
            }
            if configuration.faultInjector?.takeCommitFailure() == true {
                throw SQLiteError(code: SQLITE_IOERR, message: "injected I/O failure at commit (fsync)")
            }
            try write.commit.run()
        } catch {
            if write.connection.isInTransaction { try? write.connection.execute("ROLLBACK") }
            let failure = JournalError(.storage, message: "commit failed: \(error.message)")
            status.setHealth(.failed(failure.message))
            status.updateMetrics { $0.batchesFailed += 1 }
            fail(batch, failure)
            return
        }
        let elapsed = Self.monotonicNanoseconds() &- started
        let entries = batch.reduce(0) { sum, item in
            if case .append(let entries, _) = item.operation { return sum + entries.count }
            return sum
        }
        status.updateMetrics { metrics in
            metrics.batchesCommitted += 1
            metrics.operationsCommitted += UInt64(batch.count)
            metrics.entriesCommitted += UInt64(entries)
            metrics.lastBatchSize = batch.count
            metrics.lastCommitNanoseconds = elapsed
            metrics.totalCommitNanoseconds += elapsed
            metrics.maxCommitNanoseconds = max(metrics.maxCommitNanoseconds, elapsed)
        }
        for (item, outcome) in zip(batch, outcomes) { item.ticket.resolve(outcome) }
    }

    private func reopen(_ ticket: JournalTicket) {
        write?.close()
        write = nil
        do throws(SQLiteError) {
            write = try WriteConnection(configuration: configuration)
            status.setHealth(.ok)
            ticket.resolve(.success(()))
        } catch {
            let failure = JournalError(.storage, message: "reopen failed: \(error.message)")
            status.setHealth(.failed(failure.message))
            ticket.resolve(.failure(failure))
        }
    }

    private func fail(_ batch: [QueuedOperation], _ error: JournalError) {
        for item in batch { item.ticket.resolve(.failure(error)) }
    }

    static func journalError(_ error: SQLiteError) -> JournalError {
        if error.isStorageFailure { return JournalError(.storage, message: error.message) }
        if error.isConstraint { return JournalError(.conflict, message: error.message) }
        return JournalError(.other, message: error.message)
    }

    static func monotonicNanoseconds() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) &* 1_000_000_000 &+ UInt64(time.tv_nsec)
    }
}
