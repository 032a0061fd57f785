import Journal
import RiskEngine

/// When and how a segment snapshots: the journal's `SnapshotPolicy` decides, its
/// `SnapshotWriter` saves (and optionally prunes) once the covered entry is durable, off the
/// segment's actor.
struct SnapshotSchedule: Sendable {
    var policy: SnapshotPolicy
    var writer: SnapshotWriter

    func write(segment: Segment, through sequence: UInt64, after ticket: any CommitTicket) {
        let bytes = segment.snapshot()
        let hash = segment.stateHash
        let id = segment.spec.id
        let writer = self.writer
        Task {
            do {
                try await ticket.durable()
                try await writer.write(segment: id, sequence: sequence, bytes: bytes, stateHash: hash)
            } catch {
                // A failed snapshot loses nothing: recovery replays from the previous one.
            }
        }
    }
}
