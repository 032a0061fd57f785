/// Every configured bridge, keyed by `(from, to, asset)`: the config file's entries with
/// the journaled `PUT`/`DELETE /v1/bridges` changes applied in order. A value type: the
/// service's bridge registry owns one, replay builds one.
public struct BridgeBook: Sendable, Hashable {
    private var byKey: [BridgeKey: BridgeSpec] = [:]

    /// Most bridges one service keeps (each `PUT` may add one; the listing is bounded).
    public static let maxBridges = 1_024

    public init() {}

    /// Builds a book from already-validated specs; a later entry for the same key wins.
    public init(_ specs: [BridgeSpec]) {
        for spec in specs { byKey[spec.key] = spec }
    }

    public func bridge(_ key: BridgeKey) -> BridgeSpec? { byKey[key] }

    /// Every bridge sorted by key (never in hashing order).
    public var all: [BridgeSpec] { byKey.keys.sorted().map { byKey[$0]! } }

    public var count: Int { byKey.count }

    /// Creates or replaces the bridge `spec.key`; throws `SpecError(field: "bridges")` when a
    /// new bridge would exceed `maxBridges`. Validation against segments is the caller's.
    public mutating func put(_ spec: BridgeSpec) throws(SpecError) {
        if byKey[spec.key] == nil, byKey.count >= Self.maxBridges {
            throw SpecError(field: "bridges", message: "at most \(Self.maxBridges) bridges")
        }
        byKey[spec.key] = spec
    }

    /// Removes a bridge; returns it, or `nil` when there was none.
    @discardableResult
    public mutating func remove(_ key: BridgeKey) -> BridgeSpec? {
        byKey.removeValue(forKey: key)
    }

    /// The bridges touching a segment (either end), sorted.
    public func bridges(touching segment: String) -> [BridgeSpec] {
        all.filter { $0.from == segment || $0.to == segment }
    }
}
