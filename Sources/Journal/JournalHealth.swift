/// Whether the journal accepts writes. After a failed commit it stays `failed` (fail closed)
/// until `reopen()` or a restart: the service answers 503 and `/readyz` reports degraded.
public enum JournalHealth: Sendable, Equatable {
    case ok
    case failed(String)

    public var isOK: Bool { self == .ok }
}
