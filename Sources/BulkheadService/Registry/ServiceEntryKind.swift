/// What a journal entry's payload holds.
enum ServiceEntryKind: UInt8, Sendable {
    /// `EngineCommand.encoded()`.
    case command = 1
    /// A segment created at run time: its SegmentSpec as canonical JSON.
    case segmentCreated = 2
}
