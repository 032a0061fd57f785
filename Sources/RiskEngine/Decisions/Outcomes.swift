/// Accepted or rejected, with the reason when rejected.
public enum RiskDecision: Sendable, Hashable {
    case accepted
    case rejected(RejectReason, message: String)

    public var isAccepted: Bool {
        if case .accepted = self { return true }
        return false
    }
}

/// The answer to a fill or a pre-trade check.
public struct FillOutcome: Sendable, Hashable {
    public var decision: RiskDecision
    /// The account after the fill (or, when rejected or only checked, as it would be/is).
    public var account: MarginSummary
    /// Liquidations the fill triggered (normally none: an accepted fill keeps E ≥ IM).
    public var liquidations: [LiquidationDecision]

    public init(decision: RiskDecision, account: MarginSummary, liquidations: [LiquidationDecision] = []) {
        self.decision = decision
        self.account = account
        self.liquidations = liquidations
    }
}

/// The answer to a deposit or withdrawal.
public struct CollateralOutcome: Sendable, Hashable {
    public var decision: RiskDecision
    public var account: MarginSummary

    public init(decision: RiskDecision, account: MarginSummary) {
        self.decision = decision
        self.account = account
    }
}

public struct AcceptedPrice: Sendable, Hashable {
    public var market: String
    public var indexPrice: Amount

    public init(market: String, indexPrice: Amount) {
        self.market = market
        self.indexPrice = indexPrice
    }
}

public struct RejectedPrice: Sendable, Hashable {
    public var market: String
    public var reason: PriceRejectReason
    public var message: String

    public init(market: String, reason: PriceRejectReason, message: String) {
        self.market = market
        self.reason = reason
        self.message = message
    }
}

/// The answer to a `/prices` batch (API.md "Prices").
public struct PriceOutcome: Sendable, Hashable {
    public var accepted: [AcceptedPrice]
    public var rejected: [RejectedPrice]
    public var liquidations: [LiquidationDecision]
    public var mode: SegmentMode

    public init(accepted: [AcceptedPrice], rejected: [RejectedPrice], liquidations: [LiquidationDecision], mode: SegmentMode) {
        self.accepted = accepted
        self.rejected = rejected
        self.liquidations = liquidations
        self.mode = mode
    }
}
