extension BridgeSpec {
    /// Longest window a bridge may have (30 days): the window ledger keeps every accepted
    /// transfer younger than this, so it also bounds that ledger's horizon.
    public static let maxWindowSeconds: Int64 = 30 * 24 * 3600

    /// API.md "Bridges": both segments exist and differ, the asset is permitted in both,
    /// amounts > 0, `elevatedFactor` in (0, 1], `windowSeconds` ≥ 1. The first failure names
    /// its field. `segments` looks up the spec of an existing segment.
    public func validate(segments: (String) -> SegmentSpec?) throws(SpecError) {
        func fail(_ field: String, _ message: String) -> SpecError { SpecError(field: field, message: message) }
        guard Identifier.isValid(from) else { throw fail("from", "must be 1–64 characters of [A-Za-z0-9._-]") }
        guard Identifier.isValid(to) else { throw fail("to", "must be 1–64 characters of [A-Za-z0-9._-]") }
        guard Identifier.isValid(asset) else { throw fail("asset", "must be 1–64 characters of [A-Za-z0-9._-]") }
        guard from != to else { throw fail("to", "must differ from 'from'") }
        guard let source = segments(from) else { throw fail("from", "segment '\(from)' does not exist") }
        guard let destination = segments(to) else { throw fail("to", "segment '\(to)' does not exist") }
        guard source.permits(asset: asset) else { throw fail("asset", "'\(asset)' is not permitted in segment '\(from)'") }
        guard destination.permits(asset: asset) else { throw fail("asset", "'\(asset)' is not permitted in segment '\(to)'") }
        guard windowSeconds >= 1 else { throw fail("windowSeconds", "must be at least 1") }
        guard windowSeconds <= Self.maxWindowSeconds else { throw fail("windowSeconds", "must be at most \(Self.maxWindowSeconds)") }
        guard windowLimit.isPositive else { throw fail("windowLimit", "must be greater than 0") }
        guard maxTransfer.isPositive else { throw fail("maxTransfer", "must be greater than 0") }
        guard elevatedFactor.isPositive, elevatedFactor <= .one else { throw fail("elevatedFactor", "must be in (0, 1]") }
    }
}

extension SegmentSpec {
    /// The settlement asset or a listed collateral asset: what a segment can hold a balance of.
    public func permits(asset: String) -> Bool {
        asset == settlementAsset || collateral.contains { $0.asset == asset }
    }
}
