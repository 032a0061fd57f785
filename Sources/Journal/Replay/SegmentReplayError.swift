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
