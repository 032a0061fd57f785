import Journal
import RiskEngine

/// When and how a segment snapshots: the journal's `SnapshotPolicy` decides, its
/// `SnapshotWriter` saves (and optionally prunes) once the covered entry is durable, off the
/// segment's actor.
struct SnapshotSchedule: Sendable {
    var policy: SnapshotPolicy
    var writer: SnapshotWriter

    /// Serializes a copy of the segment off the actor: the copy shares storage until the
    /// actor's next change copies it, which costs far less than the serialization (sorting,
    /// encoding, hashing every account), so a snapshot no longer stalls the segment's requests.
    func write(segment: Segment, through sequence: UInt64, after ticket: any CommitTicket) {
        let id = segment.spec.id
        let writer = self.writer
        Task.detached(priority: .utility) {
            let (bytes, hash) = segment.snapshotAndHash()
            do {
                try await ticket.durable()
                try await writer.write(segment: id, sequence: sequence, bytes: bytes, stateHash: hash)
            } catch {
                // A failed snapshot loses nothing: recovery replays from the previous one.
            }
        }
    }
}
