/// A segment's live state for `GET /v1/segments/{segment}` and the segment list.
public struct SegmentView: Sendable, Hashable {
    public var id: String
    public var spec: SegmentSpec
    public var mode: SegmentMode
    /// The current IM multiplier of the mode ("1" in normal).
    public var marginMultiplier: Amount
    public var markets: [MarketView]
    public var insuranceFund: Amount
    public var badDebt: Amount
    public var accounts: Int
    public var collateralValue: Amount
    public var openInterestNotional: Amount
    /// Liquidations so far (for metrics).
    public var liquidationCount: UInt64

    public init(
        id: String, spec: SegmentSpec, mode: SegmentMode, marginMultiplier: Amount, markets: [MarketView],
        insuranceFund: Amount, badDebt: Amount, accounts: Int, collateralValue: Amount, openInterestNotional: Amount,
        liquidationCount: UInt64
    ) {
        self.id = id
        self.spec = spec
        self.mode = mode
        self.marginMultiplier = marginMultiplier
        self.markets = markets
        self.insuranceFund = insuranceFund
        self.badDebt = badDebt
        self.accounts = accounts
        self.collateralValue = collateralValue
        self.openInterestNotional = openInterestNotional
        self.liquidationCount = liquidationCount
    }
}

public struct MarketView: Sendable, Hashable {
    public var id: String
    public var indexPrice: Amount?
    public var priceTime: Timestamp?
    /// Effective fractions now (base × mode multiplier, with OI scaling and MM ramp).
    public var initialMarginFraction: Amount
    public var maintenanceMarginFraction: Amount
    public var openInterest: Amount
    public var maxOpenInterest: Amount
    /// Annualized EWMA volatility estimate (a statistic, formatted with ≤ 8 decimals).
    public var volatility: Amount

    public init(
        id: String, indexPrice: Amount?, priceTime: Timestamp?, initialMarginFraction: Amount,
        maintenanceMarginFraction: Amount, openInterest: Amount, maxOpenInterest: Amount, volatility: Amount
    ) {
        self.id = id
        self.indexPrice = indexPrice
        self.priceTime = priceTime
        self.initialMarginFraction = initialMarginFraction
        self.maintenanceMarginFraction = maintenanceMarginFraction
        self.openInterest = openInterest
        self.maxOpenInterest = maxOpenInterest
        self.volatility = volatility
    }
}
