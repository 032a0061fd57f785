/// What a journal entry's payload holds (`JournalEntry.kind`). Stored on disk: never renumber.
public enum JournalKind {
    /// `EngineCommand.encoded()`; replayed through `Segment.apply(_:)`.
    public static let engineCommand: UInt8 = 1
    /// The segment's `SegmentSpec` as JSON bytes written by the service; the journal only
    /// carries them. The first entry (sequence 1) of every segment.
    public static let segmentCreated: UInt8 = 2
    /// Reserved for risk-parameter changes; this build refuses to replay it.
    public static let paramsChanged: UInt8 = 3

    // Bridges (#12, values 10–19). Both live in the reserved stream `JournalStream.bridges`.
    /// `BridgeSpec.encoded()`: `PUT /v1/bridges` created or replaced that bridge.
    public static let bridgePut: UInt8 = 10
    /// `BridgeKey.encoded()`: `DELETE /v1/bridges` removed that bridge.
    public static let bridgeRemoved: UInt8 = 11

    // Live control (#18, values 20–29).
    /// No payload: the entry only carries events for this segment's stream that no command of
    /// the segment produced (`bridge_state`, `transfer`), so they get ids in its stream and
    /// replay on resume. Replay changes nothing for it.
    public static let streamEvents: UInt8 = 20
}
