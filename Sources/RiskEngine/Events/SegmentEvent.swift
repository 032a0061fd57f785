/// What a segment's stream carries (API.md "Events"), produced by applying commands, so
/// replaying the journal produces the same events in the same order.
public enum SegmentEvent: Sendable, Hashable {
    case liquidation(LiquidationDecision)
    case modeChange(ModeChangeEvent)
    case priceRejected(PriceRejectedEvent)
    /// Filled by bridges (issue #12): the service renders the payload it is given.
    case bridgeState(ExternalEventPayload)
    /// Filled by transfers (issue #12).
    case transfer(ExternalEventPayload)
    case paramsChanged(ParamsChangedEvent)

    /// The SSE `event:` name.
    public var type: String {
        switch self {
        case .liquidation: "liquidation"
        case .modeChange: "mode_change"
        case .priceRejected: "price_rejected"
        case .bridgeState: "bridge_state"
        case .transfer: "transfer"
        case .paramsChanged: "params_changed"
        }
    }

    public static let types = ["liquidation", "mode_change", "price_rejected", "bridge_state", "transfer", "params_changed"]
}

public struct ModeChangeEvent: Sendable, Hashable {
    public var segment: String
    public var from: SegmentMode
    public var to: SegmentMode
    public var reason: String
    public var volatility: Amount
    public var timestamp: Timestamp
}

public struct PriceRejectedEvent: Sendable, Hashable {
    public var segment: String
    public var market: String
    public var source: String
    public var price: Amount
    public var reason: PriceRejectReason
    public var message: String
    public var timestamp: Timestamp
}

public struct ParamsChangedEvent: Sendable, Hashable {
    public var segment: String
    public var version: UInt64
    public var changes: [ParamChange]
    public var timestamp: Timestamp
}

/// A payload rendered by whoever owns the event type (bridges, transfers): JSON bytes.
public struct ExternalEventPayload: Sendable, Hashable {
    public var json: [UInt8]

    public init(json: [UInt8]) {
        self.json = json
    }
}
