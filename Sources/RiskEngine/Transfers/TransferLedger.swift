/// A segment's own side of the transfers it takes part in. Only this segment's facts: the
/// transfers it debited and has not settled, its outgoing windows, the ids it credited, and
/// a bounded history of its settled outgoing transfers (for `GET /v1/transfers/{id}`).
struct TransferLedger: Sendable, Hashable {
    /// Debited here, not yet completed or refunded, by id.
    var pending: [UInt64: TransferRecord] = [:]
    var windows: [WindowKey: TransferWindow] = [:]
    var credited = CreditedTransfers()
    /// Highest transfer id seen in a debit or credit: the service starts its ids above the
    /// maximum over all segments, so a restart never reuses one.
    var lastId: UInt64 = 0
    /// Settled outgoing transfers, oldest first (kept only in memory and the snapshot's history).
    var history: [TransferRecord] = []
}
