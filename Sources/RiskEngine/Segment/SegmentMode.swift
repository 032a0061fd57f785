/// A segment's risk regime (RISK.md "Regimes"). Raw values are the API strings.
public enum SegmentMode: String, Sendable, Hashable, CaseIterable, Comparable {
    case normal
    case elevated
    case isolated
    case reduceOnly = "reduce_only"
    case halted

    /// Severity order: a stricter mode compares greater.
    public var severity: Int {
        switch self {
        case .normal: 0
        case .elevated: 1
        case .isolated: 2
        case .reduceOnly: 3
        case .halted: 4
        }
    }

    public static func < (lhs: SegmentMode, rhs: SegmentMode) -> Bool { lhs.severity < rhs.severity }
}
