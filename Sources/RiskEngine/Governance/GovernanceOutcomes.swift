/// The answer to `PUT …/params`.
public struct ParamsOutcome: Sendable, Hashable {
    public var version: UInt64
    public var spec: SegmentSpec
    public var pending: [PendingParam]
    /// The version's record (nil when nothing changed and no version was made).
    public var record: ParamsVersion?
    public var liquidations: [LiquidationDecision]
}

/// The answer to `PUT …/mode`.
public struct ModeOutcome: Sendable, Hashable {
    public var mode: SegmentMode
    /// The admin floor now in force (nil: automatic only).
    public var floor: SegmentMode?
    public var liquidations: [LiquidationDecision]
}

/// The answer to `POST …/insurance`.
public struct InsuranceOutcome: Sendable, Hashable {
    public var amount: Amount
    /// The part of `amount` that paid outstanding bad debt.
    public var badDebtPaid: Amount
    public var insuranceFund: Amount
    /// Outstanding bad debt after the top-up.
    public var badDebt: Amount
    public var mode: SegmentMode
    public var liquidations: [LiquidationDecision]
}
