/// A position update (API.md "Positions"): `size` is the signed change, `price` the fill
/// price, `fee` ≥ 0 leaves the settlement balance for the insurance fund.
public struct FillCommand: Sendable, Hashable {
    public var account: String
    public var market: String
    public var size: Amount
    public var price: Amount
    public var fee: Amount
    /// Arrival time, read once by the service and journaled.
    public var arrival: Timestamp

    public init(account: String, market: String, size: Amount, price: Amount, fee: Amount = .zero, arrival: Timestamp) {
        self.account = account
        self.market = market
        self.size = size
        self.price = price
        self.fee = fee
        self.arrival = arrival
    }
}

/// A collateral movement: `amount` > 0 deposits, < 0 withdraws.
public struct CollateralCommand: Sendable, Hashable {
    public var account: String
    public var asset: String
    public var amount: Amount
    public var arrival: Timestamp

    public init(account: String, asset: String, amount: Amount, arrival: Timestamp) {
        self.account = account
        self.asset = asset
        self.amount = amount
        self.arrival = arrival
    }
}

/// One oracle observation in a `/prices` batch.
public struct PriceInput: Sendable, Hashable {
    public var market: String
    public var price: Amount
    public var timestamp: Timestamp
    public var source: String

    public init(market: String, price: Amount, timestamp: Timestamp, source: String) {
        self.market = market
        self.price = price
        self.timestamp = timestamp
        self.source = source
    }
}

/// A batch of prices with the arrival time the staleness and future-skew rules use.
public struct PriceBatch: Sendable, Hashable {
    public var prices: [PriceInput]
    public var arrival: Timestamp

    public init(prices: [PriceInput], arrival: Timestamp) {
        self.prices = prices
        self.arrival = arrival
    }
}
