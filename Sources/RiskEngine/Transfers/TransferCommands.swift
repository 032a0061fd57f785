/// Step 1 of a transfer, in the source's actor: check and debit (RISK.md "Bridges").
///
/// It carries the bridge as it was and the destination's mode when the service read them,
/// so that replay re-decides exactly as the live engine did without reading anything else.
public struct TransferDebit: Sendable, Hashable {
    public var id: UInt64
    public var account: String
    public var amount: Amount
    public var bridge: BridgeSpec
    public var destinationMode: SegmentMode
    public var arrival: Timestamp

    public init(id: UInt64, account: String, amount: Amount, bridge: BridgeSpec, destinationMode: SegmentMode, arrival: Timestamp) {
        self.id = id
        self.account = account
        self.amount = amount
        self.bridge = bridge
        self.destinationMode = destinationMode
        self.arrival = arrival
    }
}

/// Step 2, in the destination's actor: credit, applied at most once per transfer id.
public struct TransferCredit: Sendable, Hashable {
    public var id: UInt64
    public var account: String
    public var from: String
    public var asset: String
    public var amount: Amount
    public var arrival: Timestamp

    public init(id: UInt64, account: String, from: String, asset: String, amount: Amount, arrival: Timestamp) {
        self.id = id
        self.account = account
        self.from = from
        self.asset = asset
        self.amount = amount
        self.arrival = arrival
    }

    /// The credit for a debited transfer.
    public init(for transfer: TransferRecord, arrival: Timestamp) {
        self.init(id: transfer.id, account: transfer.account, from: transfer.from, asset: transfer.asset, amount: transfer.amount, arrival: arrival)
    }
}

/// Step 3, back in the source's actor: the pending transfer ends `completed`, or `refunded`
/// (credited back) when the credit was impossible.
public struct TransferSettlement: Sendable, Hashable {
    public var id: UInt64
    public var outcome: TransferState
    public var arrival: Timestamp

    public init(id: UInt64, outcome: TransferState, arrival: Timestamp) {
        self.id = id
        self.outcome = outcome
        self.arrival = arrival
    }
}
