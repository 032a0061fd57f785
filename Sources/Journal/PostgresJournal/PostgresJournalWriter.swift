#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The single writer of the PostgreSQL journal: a dedicated OS thread (libpq blocks) that
/// drains everything queued into one transaction, commits it, then resolves the batch's
/// tickets — the SQLite journal's group commit, over the network.
///
/// A refused submit (conflict, fenced) fails alone. Any error of the batch itself (the server
/// gone, a failed COMMIT whose outcome is unknown) fails every ticket with a storage failure
/// and leaves the journal failed until `reopen`, exactly like the SQLite journal.
final class PostgresJournalWriter: @unchecked Sendable {
    // Only touched on the writer thread (and in init, before the thread starts).
    private var write: PostgresWriteConnection?
    private let configuration: PostgresJournal.Configuration
    private let queue: CommitQueue
    private let status: JournalStatus

    init(configuration: PostgresJournal.Configuration, queue: CommitQueue, status: JournalStatus) throws(PostgresError) {
        self.configuration = configuration
        self.queue = queue
        self.status = status
        self.write = try PostgresWriteConnection(configuration: configuration)
    }

    func start() -> pthread_t {
        DedicatedThread.start(name: "pg-journal") { self.run() }
    }

    private func run() {
        while let batch = queue.takeBatch() {
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
        let started = JournalWriter.monotonicNanoseconds()
        var outcomes: [PostgresWriteConnection.Outcome] = []
        outcomes.reserveCapacity(batch.count)
        do throws(PostgresError) {
            write.begin()
            // Runs of appends go through pipelines; the rest one by one, in submission order.
            var index = 0
            while index < batch.count {
                var end = index
                while end < batch.count, case .append = batch[end].operation { end += 1 }
                if end > index {
                    outcomes += try write.applyAppends(batch[index..<end])
                    index = end
                } else {
                    outcomes.append(try write.apply(batch[index]))
                    index += 1
                }
            }
            try write.commit()
        } catch {
            write.connection.discardPrelude()
            if write.connection.isInTransaction { try? write.connection.execute("ROLLBACK") }
            let failure = JournalError(.storage, message: "commit failed: \(error.message)")
            status.setHealth(.failed(failure.message))
            status.updateMetrics { $0.batchesFailed += 1 }
            fail(batch, failure)
            return
        }
        let elapsed = JournalWriter.monotonicNanoseconds() &- started
        var entries = 0
        var fenced = 0
        for (item, outcome) in zip(batch, outcomes) {
            if case .append(let appended, _) = item.operation, outcome == .applied { entries += appended.count }
            if case .fenced(let segment, let epoch) = outcome {
                fenced += 1
                // Stop serving before anyone hears of the refusal.
                configuration.epochs.revoke(segment, epoch: epoch)
                configuration.onFenced?(segment, epoch)
            }
        }
        status.updateMetrics { metrics in
            metrics.batchesCommitted += 1
            metrics.operationsCommitted += UInt64(batch.count - fenced)
            metrics.entriesCommitted += UInt64(entries)
            metrics.fencedOperations += UInt64(fenced)
            metrics.lastBatchSize = batch.count
            metrics.lastCommitNanoseconds = elapsed
            metrics.totalCommitNanoseconds += elapsed
            metrics.maxCommitNanoseconds = max(metrics.maxCommitNanoseconds, elapsed)
        }
        for (item, outcome) in zip(batch, outcomes) {
            switch outcome {
            case .applied:
                item.ticket.resolve(.success(()))
            case .conflict(let message):
                item.ticket.resolve(.failure(JournalError(.conflict, message: message)))
            case .fenced(let segment, let epoch):
                item.ticket.resolve(.failure(JournalError(
                    .fenced, message: "segment \(segment): lease epoch \(epoch) is no longer this instance's")))
            }
        }
    }

    private func reopen(_ ticket: JournalTicket) {
        write?.close()
        write = nil
        do throws(PostgresError) {
            write = try PostgresWriteConnection(configuration: configuration)
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
}
