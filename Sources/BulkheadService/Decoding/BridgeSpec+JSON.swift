import RiskEngine

extension BridgeSpec {
    /// Decodes one Bridge (API.md "Bridges"): shape and types only (rules are `validate`'s).
    /// `elevatedFactor` defaults to 1 and `enabled` to true when absent.
    init(json value: JSONValue, path: String = "") throws(APIError) {
        let body = try FieldReader(value, path: path)
        var enabled = true
        if let flag = body.optional("enabled") {
            guard case .bool(let value) = flag else { throw .invalidField(body.name("enabled"), "expected true or false, got \(flag.typeName)") }
            enabled = value
        }
        self.init(
            from: try body.identifier("from"), to: try body.identifier("to"), asset: try body.identifier("asset"),
            windowSeconds: try body.integer("windowSeconds", in: 0...Int64(Int32.max)),
            windowLimit: try body.amount("windowLimit"), maxTransfer: try body.amount("maxTransfer"),
            elevatedFactor: try body.optionalAmount("elevatedFactor") ?? .one, enabled: enabled)
    }
}

/// Body of `POST /v1/transfers`.
struct TransferRequest: Sendable, Hashable {
    var account: String
    var from: String
    var to: String
    var asset: String
    var amount: Amount

    init(json: JSONValue) throws(APIError) {
        let body = try FieldReader(json)
        account = try body.identifier("account")
        from = try body.identifier("from")
        to = try body.identifier("to")
        asset = try body.identifier("asset")
        amount = try body.amount("amount")
    }
}
