extension Permission {
    /// Stable name for audit logs.
    public var auditName: String {
        switch self {
        case .admin: "admin"
        case .postPrices: "post_prices"
        case .trade: "trade"
        case .read: "read"
        case .anyKey: "any_key"
        }
    }

    /// What the permission lets a caller do, for 403 messages.
    var action: String {
        switch self {
        case .admin: "perform admin actions"
        case .postPrices: "post prices"
        case .trade: "trade (positions, collateral, transfers, order checks)"
        case .read: "read segment data"
        case .anyKey: "use this route"
        }
    }
}
