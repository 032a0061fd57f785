/// `PUT …/params` as journaled: the fields to set by path (`markets.BTC-USD.maxOpenInterest`,
/// `oracle.maxJump`, `collateral.ETH.weight`, `insuranceFundFloor`), added markets and
/// collateral, and who asked and why.
public struct ParamsChangeCommand: Sendable, Hashable {
    public var expectedVersion: UInt64?
    public var keyId: String
    public var reason: String
    /// In request order; a path appears at most once.
    public var fields: [ParamAssignment]
    public var addMarkets: [MarketSpec]
    /// `collateral` entries: a known asset's weight changes, a new asset is added.
    public var collateral: [CollateralSpec]
    public var arrival: Timestamp

    public init(
        expectedVersion: UInt64?, keyId: String, reason: String, fields: [ParamAssignment], addMarkets: [MarketSpec] = [],
        collateral: [CollateralSpec] = [], arrival: Timestamp
    ) {
        self.expectedVersion = expectedVersion
        self.keyId = keyId
        self.reason = reason
        self.fields = fields
        self.addMarkets = addMarkets
        self.collateral = collateral
        self.arrival = arrival
    }
}

/// One parameter set by path.
public struct ParamAssignment: Sendable, Hashable {
    public var path: String
    public var value: ParamValue

    public init(path: String, value: ParamValue) {
        self.path = path
        self.value = value
    }
}

/// A parameter's value: an amount, a whole number (seconds, counts), or absent (an optional
/// parameter removed, e.g. `insuranceFundFloor: null`).
public enum ParamValue: Sendable, Hashable, CustomStringConvertible {
    case amount(Amount)
    case integer(Int64)
    case none

    public var description: String {
        switch self {
        case .amount(let a): a.description
        case .integer(let i): String(i)
        case .none: "null"
        }
    }
}

/// `PUT …/mode`: `mode` nil is `auto` (the floor removed).
public struct ModeFloorCommand: Sendable, Hashable {
    public var mode: SegmentMode?
    public var reason: String
    public var keyId: String
    public var arrival: Timestamp

    public init(mode: SegmentMode?, reason: String, keyId: String, arrival: Timestamp) {
        self.mode = mode
        self.reason = reason
        self.keyId = keyId
        self.arrival = arrival
    }
}

/// `POST …/insurance`: recapitalizes the fund; outstanding bad debt is paid first.
public struct InsuranceTopUpCommand: Sendable, Hashable {
    public var amount: Amount
    public var reason: String
    public var keyId: String
    public var arrival: Timestamp

    public init(amount: Amount, reason: String, keyId: String, arrival: Timestamp) {
        self.amount = amount
        self.reason = reason
        self.keyId = keyId
        self.arrival = arrival
    }
}
