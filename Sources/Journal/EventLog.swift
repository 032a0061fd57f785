/// A segment event's place in its stream: `<journal sequence>.<index within that record>`
/// (API.md "Events"). Ordered by sequence, then index.
public struct EventPosition: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var sequence: UInt64
    public var index: UInt32

    public init(sequence: UInt64, index: UInt32) {
        self.sequence = sequence
        self.index = index
    }

    /// Before every event.
    public static let start = EventPosition(sequence: 0, index: 0)

    public static func < (lhs: EventPosition, rhs: EventPosition) -> Bool {
        (lhs.sequence, lhs.index) < (rhs.sequence, rhs.index)
    }

    public var description: String { "\(sequence).\(index)" }

    /// Parses "<sequence>.<index>" (digits only); nil for anything else.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 20 && $0.allSatisfy(\.isASCII) }),
              let sequence = UInt64(parts[0]), let index = UInt32(parts[1]) else { return nil }
        self.init(sequence: sequence, index: index)
    }
}

/// One event as journaled with the record that caused it: its type and rendered `data`.
public struct StoredEvent: Sendable, Hashable {
    public var position: EventPosition
    public var type: String
    public var data: [UInt8]

    public init(position: EventPosition, type: String, data: [UInt8]) {
        self.position = position
        self.type = type
        self.data = data
    }
}

/// The event log beside the journal: written in the same batch as the entry that caused the
/// events (so an acknowledged change's events are as durable as the change), read back for
/// `Last-Event-ID` resumes, pruned to a retention. Stores that keep no log answer empty.
extension JournalStore {
    public func events(segment: String, after: EventPosition, through: EventPosition, limit: Int) throws(JournalError) -> [StoredEvent] { [] }
    public func eventBounds(segment: String) throws(JournalError) -> (oldest: EventPosition, newest: EventPosition)? { nil }
    public func pruneEvents(segment: String, keepLast: Int) async throws(JournalError) {}
}
