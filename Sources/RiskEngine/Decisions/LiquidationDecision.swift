/// One liquidation step with the numbers that justify it (API.md "Liquidations").
public struct LiquidationDecision: Sendable, Hashable {
    /// Per-segment sequence, starting at 1; the API id is "\(segment):\(sequence)".
    public var sequence: UInt64
    public var segment: String
    public var account: String
    public var market: String
    /// Signed change applied to the account's position (opposite sign to the position).
    public var sizeClosed: Amount
    public var remainingSize: Amount
    /// The index price the insurance fund took the closed part over at.
    public var price: Amount
    public var bankruptcyPrice: Amount
    public var penalty: Amount
    public var insuranceFundDelta: Amount
    public var badDebt: Amount
    public var socializedLoss: Amount
    public var equityBefore: Amount
    public var maintenanceMarginBefore: Amount
    /// Human-readable justification, e.g. "equity 1200 < maintenance margin 1500".
    public var reason: String
    public var timestamp: Timestamp

    public var id: String { "\(segment):\(sequence)" }

    public init(
        sequence: UInt64, segment: String, account: String, market: String, sizeClosed: Amount, remainingSize: Amount,
        price: Amount, bankruptcyPrice: Amount, penalty: Amount, insuranceFundDelta: Amount, badDebt: Amount,
        socializedLoss: Amount, equityBefore: Amount, maintenanceMarginBefore: Amount, reason: String, timestamp: Timestamp
    ) {
        self.sequence = sequence
        self.segment = segment
        self.account = account
        self.market = market
        self.sizeClosed = sizeClosed
        self.remainingSize = remainingSize
        self.price = price
        self.bankruptcyPrice = bankruptcyPrice
        self.penalty = penalty
        self.insuranceFundDelta = insuranceFundDelta
        self.badDebt = badDebt
        self.socializedLoss = socializedLoss
        self.equityBefore = equityBefore
        self.maintenanceMarginBefore = maintenanceMarginBefore
        self.reason = reason
        self.timestamp = timestamp
    }
}
