import RiskEngine

/// Body of `POST /positions` and `/orders/check`.
struct FillRequest: Sendable, Hashable {
    var account: String
    var market: String
    var size: Amount
    var price: Amount
    var fee: Amount

    init(json: JSONValue) throws(APIError) {
        let body = try FieldReader(json)
        account = try body.identifier("account")
        market = try body.identifier("market")
        size = try body.amount("size")
        price = try body.amount("price")
        fee = try body.optionalAmount("fee") ?? .zero
        guard !fee.isNegative else { throw .invalidAmount("fee", "the fee must be ≥ 0") }
    }

    func command(arrival: Timestamp) -> FillCommand {
        FillCommand(account: account, market: market, size: size, price: price, fee: fee, arrival: arrival)
    }
}

/// Body of `POST /collateral`.
struct CollateralRequest: Sendable, Hashable {
    var account: String
    var asset: String
    var amount: Amount

    init(json: JSONValue) throws(APIError) {
        let body = try FieldReader(json)
        account = try body.identifier("account")
        asset = try body.identifier("asset")
        amount = try body.amount("amount")
    }

    func command(arrival: Timestamp) -> CollateralCommand {
        CollateralCommand(account: account, asset: asset, amount: amount, arrival: arrival)
    }
}

/// Body of `POST /prices`.
struct PriceRequest: Sendable, Hashable {
    /// Bound on one batch, so one request cannot hold a segment's actor for long.
    static let maxPrices = 1_000

    var prices: [PriceInput]

    init(json: JSONValue) throws(APIError) {
        let body = try FieldReader(json)
        let entries = try body.objects("prices")
        guard entries.count <= Self.maxPrices else { throw .invalidField("prices", "at most \(Self.maxPrices) prices per request") }
        var prices: [PriceInput] = []
        prices.reserveCapacity(entries.count)
        for entry in entries {
            prices.append(
                PriceInput(
                    market: try entry.identifier("market"), price: try entry.amount("price"),
                    timestamp: try entry.timestamp("timestamp"), source: try entry.identifier("source")))
        }
        self.prices = prices
    }

    func batch(arrival: Timestamp) -> PriceBatch {
        PriceBatch(prices: prices, arrival: arrival)
    }
}
