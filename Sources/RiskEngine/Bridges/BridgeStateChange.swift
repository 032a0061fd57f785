/// The `bridge_state` event's data (API.md "Events"): `{"from","to","asset","state","reason","timestamp"}`.
/// Published on both ends' streams.
public struct BridgeStateChange: Sendable, Hashable {
    public var from: String
    public var to: String
    public var asset: String
    public var state: BridgeState
    public var reason: String
    public var timestamp: Timestamp

    public init(from: String, to: String, asset: String, state: BridgeState, reason: String, timestamp: Timestamp) {
        self.from = from
        self.to = to
        self.asset = asset
        self.state = state
        self.reason = reason
        self.timestamp = timestamp
    }

    public var key: BridgeKey { BridgeKey(from: from, to: to, asset: asset) }
}

/// Remembers each bridge's last published state and reports the changes when modes or the
/// book change, so every change becomes exactly one `bridge_state` event.
public struct BridgeWatch: Sendable, Hashable {
    private var last: [BridgeKey: BridgeStatus] = [:]

    public init() {}

    /// Re-derives every bridge's status from the modes; returns the changed ones sorted by
    /// key. A bridge seen for the first time is a change; a removed one is forgotten
    /// silently (its `DELETE` is the record). Segments without a mode read as `halted`.
    public mutating func update(
        book: BridgeBook, modes: (String) -> SegmentMode?, at timestamp: Timestamp
    ) -> [BridgeStateChange] {
        var changes: [BridgeStateChange] = []
        var next: [BridgeKey: BridgeStatus] = [:]
        for bridge in book.all {
            let status = bridge.status(fromMode: modes(bridge.from) ?? .halted, toMode: modes(bridge.to) ?? .halted)
            next[bridge.key] = status
            if let previous = last[bridge.key], previous.state == status.state, previous.reason == status.reason { continue }
            changes.append(BridgeStateChange(
                from: bridge.from, to: bridge.to, asset: bridge.asset, state: status.state, reason: status.reason, timestamp: timestamp))
        }
        last = next
        return changes
    }

    /// The last status published for a bridge.
    public func status(_ key: BridgeKey) -> BridgeStatus? { last[key] }
}
