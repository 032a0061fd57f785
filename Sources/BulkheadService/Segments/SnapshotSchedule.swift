import Journal
import RiskEngine
import Synchronization

/// At most one snapshot of a segment in flight: each holds a copy of the segment's state,
/// so a segment that journals faster than it can snapshot must not pile copies up.
final class SnapshotSlot: Sendable {
    private let busy = Atomic<Bool>(false)

    /// True if the caller now owns the slot.
    func claim() -> Bool { busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged }
    func release() { busy.store(false, ordering: .releasing) }
}

/// When and how a segment snapshots: the journal's `SnapshotPolicy` decides, its
/// `SnapshotWriter` saves (and optionally prunes) once the covered entry is durable, off the
/// segment's actor.
struct SnapshotSchedule: Sendable {
    var policy: SnapshotPolicy
    var writer: SnapshotWriter

    /// Serializes a copy of the segment off the actor: the copy shares storage until the
    /// actor's next change copies it, which costs far less than the serialization (sorting,
    /// encoding, hashing every account), so a snapshot no longer stalls the segment's requests.
    /// The caller has claimed `slot`; it is released once the snapshot is saved or given up.
    func write(segment: Segment, through sequence: UInt64, after ticket: any CommitTicket, slot: SnapshotSlot) {
        let id = segment.spec.id
        let writer = self.writer
        Task.detached(priority: .utility) {
            defer { slot.release() }
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
