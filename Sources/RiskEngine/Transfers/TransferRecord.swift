/// Where a transfer stands (API.md): `pending` from the source's debit until it is
/// `completed` (credited in the destination) or `refunded` (credited back to the source).
public enum TransferState: String, Sendable, Hashable, CaseIterable {
    case pending
    case completed
    case refunded
}

/// A transfer as `GET /v1/transfers/{id}` and the `transfer` event show it.
public struct TransferRecord: Sendable, Hashable {
    /// Globally unique, assigned by the service; shown as `tr-000000017`.
    public var id: UInt64
    public var state: TransferState
    public var account: String
    public var from: String
    public var to: String
    public var asset: String
    public var amount: Amount
    /// The acceptance time (the debit's journaled arrival): what the window counts by.
    public var timestamp: Timestamp

    public init(
        id: UInt64, state: TransferState, account: String, from: String, to: String, asset: String, amount: Amount,
        timestamp: Timestamp
    ) {
        self.id = id
        self.state = state
        self.account = account
        self.from = from
        self.to = to
        self.asset = asset
        self.amount = amount
        self.timestamp = timestamp
    }

    public var idText: String { Self.idText(id) }

    public var bridge: BridgeKey { BridgeKey(from: from, to: to, asset: asset) }

    /// `tr-` and at least nine digits: `tr-000000017`.
    public static func idText(_ id: UInt64) -> String {
        let digits = String(id)
        return "tr-" + String(repeating: "0", count: max(0, 9 - digits.count)) + digits
    }

    /// Parses `idText`; `nil` for anything else (the route answers 404).
    public static func id(parsing text: String) -> UInt64? {
        guard text.hasPrefix("tr-") else { return nil }
        let digits = text.dropFirst(3)
        guard !digits.isEmpty, digits.count <= 20, digits.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        guard let id = UInt64(digits), idText(id) == text else { return nil }
        return id
    }
}
