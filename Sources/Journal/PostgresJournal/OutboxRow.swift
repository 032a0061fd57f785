import RiskEngine

/// One transfer as the cluster's outbox holds it (table `transfer_outbox`).
public struct OutboxRow: Sendable, Hashable {
    /// Where the transfer stands between the two owners.
    public enum Stage: String, Sendable, Hashable {
        /// Debited in the source; the destination's owner credits it next.
        case pending
        /// Credited in the destination; the source's owner completes it next.
        case credited
        /// The destination could not take it; the source's owner refunds it next.
        case refused
        case completed
        case refunded
    }

    public var stage: Stage
    /// The transfer as `GET /v1/transfers/{id}` shows it (`pending` until settled).
    public var record: TransferRecord
    public var idempotencyKey: String?
    public var requestHash: [UInt8]?
    /// The destination account (MarginSummary JSON) the credit answered.
    public var answer: [UInt8]?
    /// Why the destination refused it.
    public var reason: String?
}
