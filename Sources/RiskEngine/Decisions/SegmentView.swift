/// A segment's live state for `GET /v1/segments/{segment}` and the segment list.
public struct SegmentView: Sendable, Hashable {
    public var id: String
    public var spec: SegmentSpec
    public var mode: SegmentMode
    /// The current IM multiplier of the mode ("1" in normal).
    public var marginMultiplier: Amount
    public var markets: [MarketView]
    public var insuranceFund: Amount
    /// Outstanding bad debt: not absorbed by any account, not yet paid by a top-up.
    public var badDebt: Amount
    /// Cumulative fund shortfall and the part of it socialized (RISK.md "Liquidation" step 4).
    public var badDebtTotal: Amount
    public var socializedLossTotal: Amount
    /// Parameter version (`PUT …/params`) and the admin mode floor, if any.
    public var version: UInt64
    public var modeFloor: SegmentMode?
    public var accounts: Int
    public var collateralValue: Amount
    public var openInterestNotional: Amount
    /// Liquidations so far (for metrics).
    public var liquidationCount: UInt64

    public init(
        id: String, spec: SegmentSpec, mode: SegmentMode, marginMultiplier: Amount, markets: [MarketView],
        insuranceFund: Amount, badDebt: Amount, accounts: Int, collateralValue: Amount, openInterestNotional: Amount,
        liquidationCount: UInt64, badDebtTotal: Amount = .zero, socializedLossTotal: Amount = .zero, version: UInt64 = 1,
        modeFloor: SegmentMode? = nil
    ) {
        self.badDebtTotal = badDebtTotal
        self.socializedLossTotal = socializedLossTotal
        self.version = version
        self.modeFloor = modeFloor
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
