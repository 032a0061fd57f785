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

/// Why a segment could not be rebuilt. Recovery stops: serving a segment whose state is not
/// exactly its history would be worse than not starting.
public struct SegmentReplayError: Error, Sendable, Equatable, CustomStringConvertible {
    public var segment: String
    /// The entry or snapshot sequence at fault, when there is one.
    public var sequence: UInt64?
    public var message: String

    public init(segment: String, sequence: UInt64?, message: String) {
        self.segment = segment
        self.sequence = sequence
        self.message = message
    }

    public var description: String {
        "segment '\(segment)'" + (sequence.map { " at sequence \($0)" } ?? "") + ": " + message
    }
}
