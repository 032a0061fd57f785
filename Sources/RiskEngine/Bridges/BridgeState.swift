/// A bridge's live state, derived from both ends' modes whenever it is read or used.
public enum BridgeState: String, Sendable, Hashable, CaseIterable {
    /// Both ends `normal`.
    case open
    /// Either end `elevated` (and neither worse): the window limit × `elevatedFactor`.
    case limited
    /// Either end `isolated`, `reduce_only` or `halted`, or the bridge is disabled.
    case closed
}

/// A bridge's state with the reason a reader sees (`"alts is elevated"`) and the window
/// limit that state allows.
public struct BridgeStatus: Sendable, Hashable {
    public var state: BridgeState
    public var reason: String
    public var effectiveLimit: Amount

    public init(state: BridgeState, reason: String, effectiveLimit: Amount) {
        self.state = state
        self.reason = reason
        self.effectiveLimit = effectiveLimit
    }
}

extension BridgeSpec {
    /// RISK.md "Bridges": the state from the two ends' modes. The stricter end names the
    /// reason (the source on a tie); a disabled bridge is closed whatever the modes.
    public func status(fromMode: SegmentMode, toMode: SegmentMode) -> BridgeStatus {
        guard enabled else { return BridgeStatus(state: .closed, reason: "bridge is disabled", effectiveLimit: .zero) }
        let (worst, end) = toMode > fromMode ? (toMode, to) : (fromMode, from)
        switch worst {
        case .normal:
            return BridgeStatus(state: .open, reason: "both ends are normal", effectiveLimit: windowLimit)
        case .elevated:
            // Rounded down: a cut limit never allows more than the factor says.
            let limit = (try? windowLimit.times(elevatedFactor, .down)) ?? .zero
            return BridgeStatus(state: .limited, reason: "\(end) is elevated", effectiveLimit: limit)
        case .isolated, .reduceOnly, .halted:
            return BridgeStatus(state: .closed, reason: "\(end) is \(worst.rawValue)", effectiveLimit: .zero)
        }
    }
}
