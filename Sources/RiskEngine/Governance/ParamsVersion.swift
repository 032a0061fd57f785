/// One accepted `PUT …/params` (`GET …/params/history`).
public struct ParamsVersion: Sendable, Hashable {
    public var version: UInt64
    public var keyId: String
    public var reason: String
    public var changes: [ParamChange]
    public var timestamp: Timestamp

    public init(version: UInt64, keyId: String, reason: String, changes: [ParamChange], timestamp: Timestamp) {
        self.version = version
        self.keyId = keyId
        self.reason = reason
        self.changes = changes
        self.timestamp = timestamp
    }
}

/// One field's change: `from` is "null" for an addition; `effectiveAt` is the change's own
/// time when it applied at once, later for a loosening.
public struct ParamChange: Sendable, Hashable {
    public var field: String
    public var from: String
    public var to: String
    public var effectiveAt: Timestamp

    public init(field: String, from: String, to: String, effectiveAt: Timestamp) {
        self.field = field
        self.from = from
        self.to = to
        self.effectiveAt = effectiveAt
    }
}

/// A loosening waiting for its time.
public struct PendingParam: Sendable, Hashable {
    public var field: String
    public var value: ParamValue
    public var effectiveAt: Timestamp
    /// The version that scheduled it.
    public var version: UInt64

    public init(field: String, value: ParamValue, effectiveAt: Timestamp, version: UInt64) {
        self.field = field
        self.value = value
        self.effectiveAt = effectiveAt
        self.version = version
    }
}
