import Journal
import RiskEngine

/// When a segment writes a snapshot: every `interval` journaled entries (0 disables).
/// The snapshot is saved once the entry it covers is durable, off the segment's actor.
struct SnapshotSchedule: Sendable {
    var interval: UInt64
    var pruneJournal: Bool
    var journal: any JournalStore

    func isDue(entriesSinceSnapshot: UInt64) -> Bool {
        interval > 0 && entriesSinceSnapshot >= interval
    }

    func write(segment: Segment, through sequence: UInt64, after ticket: any CommitTicket) {
        let record = SnapshotRecord(segment: segment.spec.id, sequence: sequence, stateHash: segment.stateHash, bytes: segment.snapshot())
        let journal = self.journal
        let prune = pruneJournal
        Task {
            do {
                try await ticket.durable()
                try await journal.saveSnapshot(record)
                if prune { try await journal.prune(segment: record.segment, through: record.sequence) }
            } catch {
                // A failed snapshot loses nothing: recovery replays from the previous one.
            }
        }
    }
}
