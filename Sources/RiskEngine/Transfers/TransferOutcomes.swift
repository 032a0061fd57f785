/// The source's answer to a debit: accepted with the `pending` record, or rejected with a
/// reason having changed nothing. `account` is the source account after (or as it is).
public struct TransferDebitOutcome: Sendable, Hashable {
    public var decision: RiskDecision
    public var transfer: TransferRecord?
    public var account: MarginSummary

    public init(decision: RiskDecision, transfer: TransferRecord?, account: MarginSummary) {
        self.decision = decision
        self.transfer = transfer
        self.account = account
    }
}

/// The destination's answer to a credit.
public enum TransferCreditOutcome: Sendable, Hashable {
    /// Applied now; the destination account after it.
    case credited(MarginSummary)
    /// This id was credited before: nothing changed (a retry after a crash).
    case alreadyCredited(MarginSummary?)
    /// The credit is impossible now (destination halted, asset not permitted, amount out of
    /// range): nothing changed; the source refunds.
    case refused(String)

    public var isApplied: Bool {
        switch self {
        case .credited, .alreadyCredited: true
        case .refused: false
        }
    }
}
