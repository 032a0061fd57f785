/// API.md MarginSummary: one account's valuation in one segment. All amounts already rounded
/// in the segment's favour (requirements up, equity down).
public struct MarginSummary: Sendable, Hashable {
    public var segment: String
    public var account: String
    public var collateralValue: Amount
    public var unrealizedPnl: Amount
    public var equity: Amount
    public var initialMargin: Amount
    public var maintenanceMargin: Amount
    public var freeCollateral: Amount
    /// equity / maintenance margin; `nil` without positions (or with zero MM).
    public var marginRatio: Amount?
    public var status: AccountStatus
    /// Sorted by market id.
    public var positions: [PositionSummary]
    /// Balances per collateral asset (extension of the contract), sorted by asset.
    public var balances: [AssetBalance]

    public init(
        segment: String, account: String, collateralValue: Amount, unrealizedPnl: Amount, equity: Amount,
        initialMargin: Amount, maintenanceMargin: Amount, freeCollateral: Amount, marginRatio: Amount?,
        status: AccountStatus, positions: [PositionSummary], balances: [AssetBalance]
    ) {
        self.segment = segment
        self.account = account
        self.collateralValue = collateralValue
        self.unrealizedPnl = unrealizedPnl
        self.equity = equity
        self.initialMargin = initialMargin
        self.maintenanceMargin = maintenanceMargin
        self.freeCollateral = freeCollateral
        self.marginRatio = marginRatio
        self.status = status
        self.positions = positions
        self.balances = balances
    }
}

public struct PositionSummary: Sendable, Hashable {
    public var market: String
    public var size: Amount
    public var entryPrice: Amount
    public var markPrice: Amount
    public var notional: Amount
    public var unrealizedPnl: Amount
    public var initialMargin: Amount
    public var maintenanceMargin: Amount
    /// `nil` where no price can liquidate (RISK.md closed form ≤ 0 or denominator ≤ 0).
    public var liquidationPrice: Amount?

    public init(
        market: String, size: Amount, entryPrice: Amount, markPrice: Amount, notional: Amount, unrealizedPnl: Amount,
        initialMargin: Amount, maintenanceMargin: Amount, liquidationPrice: Amount?
    ) {
        self.market = market
        self.size = size
        self.entryPrice = entryPrice
        self.markPrice = markPrice
        self.notional = notional
        self.unrealizedPnl = unrealizedPnl
        self.initialMargin = initialMargin
        self.maintenanceMargin = maintenanceMargin
        self.liquidationPrice = liquidationPrice
    }
}

public struct AssetBalance: Sendable, Hashable {
    public var asset: String
    public var balance: Amount

    public init(asset: String, balance: Amount) {
        self.asset = asset
        self.balance = balance
    }
}
