/// A configured one-way channel for one asset between two segments (API.md "Bridges and
/// transfers between segments", RISK.md "Bridges"). Identified by `(from, to, asset)`.
public struct BridgeSpec: Sendable, Hashable {
    public var from: String
    public var to: String
    public var asset: String
    /// Length of the rolling window over accepted transfers, by their journaled time.
    public var windowSeconds: Int64
    /// Most that may cross in one window while both ends are `normal`.
    public var windowLimit: Amount
    /// Most one transfer may move (not scaled by `elevatedFactor`).
    public var maxTransfer: Amount
    /// The window limit's multiplier while either end is `elevated`, in (0, 1].
    public var elevatedFactor: Amount
    public var enabled: Bool

    public init(
        from: String, to: String, asset: String, windowSeconds: Int64, windowLimit: Amount, maxTransfer: Amount,
        elevatedFactor: Amount, enabled: Bool = true
    ) {
        self.from = from
        self.to = to
        self.asset = asset
        self.windowSeconds = windowSeconds
        self.windowLimit = windowLimit
        self.maxTransfer = maxTransfer
        self.elevatedFactor = elevatedFactor
        self.enabled = enabled
    }

    public var key: BridgeKey { BridgeKey(from: from, to: to, asset: asset) }
}

/// A bridge's identity. Ordered by `from`, `to`, `asset` so listings never depend on hashing.
public struct BridgeKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var from: String
    public var to: String
    public var asset: String

    public init(from: String, to: String, asset: String) {
        self.from = from
        self.to = to
        self.asset = asset
    }

    public static func < (lhs: BridgeKey, rhs: BridgeKey) -> Bool {
        (lhs.from, lhs.to, lhs.asset) < (rhs.from, rhs.to, rhs.asset)
    }

    public var description: String { "\(from) → \(to) (\(asset))" }
}
