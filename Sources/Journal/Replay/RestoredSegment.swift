import RiskEngine

/// One segment rebuilt from the journal.
public struct RestoredSegment: Sendable {
    public var segment: Segment
    /// The last journal sequence the state includes; the segment's next entry is this + 1.
    public var lastSequence: UInt64
    /// The snapshot the rebuild started from, if any.
    public var snapshotSequence: UInt64?
    /// Entries applied after the snapshot (or from the start).
    public var replayed: Int
    /// Whether the journal holds the segment's definition (a creation entry or a snapshot).
    /// When false the spec came from configuration; if `lastSequence` is also 0 the service
    /// should journal a creation entry (sequence 1) so that replay no longer needs the config.
    public var isJournaled: Bool
}
