import RiskEngine

/// A change to the cluster's transfer outbox (DESIGN.md "Transfers across instances"),
/// carried by the journal entry of the transfer step it belongs to and written in the same
/// transaction, so the step and its outbox row are durable together or not at all. Stores
/// without an outbox (SQLite: one process, where the coordinator hops between the two actors
/// itself) ignore it.
public enum OutboxChange: Sendable, Hashable {
    /// With the source's debit: the transfer is `pending`, for the destination's owner to
    /// credit. The request's idempotency key (if any) rides along so that whoever settles the
    /// transfer stores the answer under it.
    case open(TransferRecord, idempotencyKey: String?, requestHash: [UInt8]?)
    /// With the destination's credit: `pending` → `credited`; `answer` is the destination
    /// account (MarginSummary JSON) for the source's reply.
    case credited(id: UInt64, answer: [UInt8])
    /// With the source's settlement: `credited` → `completed`, or `refused` → `refunded`;
    /// `answer` is the reply, stored under the row's idempotency key when it has one (a key
    /// already stored keeps its first answer), created at `createdAt` (ns, for retention).
    case settled(id: UInt64, state: TransferState, answer: [UInt8], createdAt: Int64)
}
