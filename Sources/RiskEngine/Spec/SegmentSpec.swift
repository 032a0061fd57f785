/// One segment's full definition (API.md "Segments"). The same structure is an entry of the
/// `Config/` segment file, the body of `POST /v1/segments` and the `spec` of a segment view.
/// Validation lives in `SegmentSpec+Validation.swift`.
public struct SegmentSpec: Sendable, Hashable {
    public var id: String
    public var settlementAsset: String
    public var collateral: [CollateralSpec]
    public var markets: [MarketSpec]
    public var oracle: OracleSpec
    public var liquidation: LiquidationSpec
    public var insuranceFund: Amount
    public var regimes: RegimeSpec
    /// Optional: fraction of notional that a withdrawal must leave as equity on top of IM
    /// (Hyperliquid keeps 10%). Absent means no extra floor.
    public var withdrawalFloor: Amount?
    /// Optional: insurance fund balance below which the segment moves to `isolated`.
    public var insuranceFundFloor: Amount?
    /// Bounds of `PUT …/params` (RISK.md "Governance"); defaults when the spec omits them.
    public var governance: GovernanceSpec

    public init(
        id: String, settlementAsset: String, collateral: [CollateralSpec], markets: [MarketSpec],
        oracle: OracleSpec, liquidation: LiquidationSpec, insuranceFund: Amount, regimes: RegimeSpec,
        withdrawalFloor: Amount? = nil, insuranceFundFloor: Amount? = nil, governance: GovernanceSpec = .standard
    ) {
        self.governance = governance
        self.id = id
        self.settlementAsset = settlementAsset
        self.collateral = collateral
        self.markets = markets
        self.oracle = oracle
        self.liquidation = liquidation
        self.insuranceFund = insuranceFund
        self.regimes = regimes
        self.withdrawalFloor = withdrawalFloor
        self.insuranceFundFloor = insuranceFundFloor
    }
}

public struct CollateralSpec: Sendable, Hashable {
    public var asset: String
    /// In (0, 1].
    public var weight: Amount
    /// The market whose index price values this asset; absent only for the settlement asset.
    public var priceMarket: String?

    public init(asset: String, weight: Amount, priceMarket: String? = nil) {
        self.asset = asset
        self.weight = weight
        self.priceMarket = priceMarket
    }
}

public struct MarketSpec: Sendable, Hashable {
    public var id: String
    public var initialMarginFraction: Amount
    public var maintenanceMarginFraction: Amount
    /// Cap on open interest, in base units (contracts).
    public var maxOpenInterest: Amount
    public var openInterestScaling: OpenInterestScaling?

    public init(
        id: String, initialMarginFraction: Amount, maintenanceMarginFraction: Amount,
        maxOpenInterest: Amount, openInterestScaling: OpenInterestScaling? = nil
    ) {
        self.id = id
        self.initialMarginFraction = initialMarginFraction
        self.maintenanceMarginFraction = maintenanceMarginFraction
        self.maxOpenInterest = maxOpenInterest
        self.openInterestScaling = openInterestScaling
    }
}

/// dYdX v4 liquidity tiers: IMF rises linearly from the base to 1 as open-interest notional
/// goes from `lower` to `upper` (quote units).
public struct OpenInterestScaling: Sendable, Hashable {
    public var lower: Amount
    public var upper: Amount

    public init(lower: Amount, upper: Amount) {
        self.lower = lower
        self.upper = upper
    }
}

public struct OracleSpec: Sendable, Hashable {
    public var maxAgeSeconds: Int64
    public var liquidationMaxAgeSeconds: Int64
    public var maxFutureSkewSeconds: Int64
    /// Largest accepted move per update, as a fraction of the current index.
    public var maxJump: Amount
    public var minSources: Int
    /// A price beyond `maxJump` is held; the same source confirms it no sooner than this
    /// many seconds later (another source confirms it at once).
    public var jumpConfirmSeconds: Int64

    public init(
        maxAgeSeconds: Int64, liquidationMaxAgeSeconds: Int64, maxFutureSkewSeconds: Int64, maxJump: Amount, minSources: Int,
        jumpConfirmSeconds: Int64 = 10
    ) {
        self.jumpConfirmSeconds = jumpConfirmSeconds
        self.maxAgeSeconds = maxAgeSeconds
        self.liquidationMaxAgeSeconds = liquidationMaxAgeSeconds
        self.maxFutureSkewSeconds = maxFutureSkewSeconds
        self.maxJump = maxJump
        self.minSources = minSources
    }
}

public struct LiquidationSpec: Sendable, Hashable {
    public var penalty: Amount
    public var buffer: Amount
    public var maxPortion: Amount
    public var minNotional: Amount

    public init(penalty: Amount, buffer: Amount, maxPortion: Amount, minNotional: Amount) {
        self.penalty = penalty
        self.buffer = buffer
        self.maxPortion = maxPortion
        self.minNotional = minNotional
    }
}

public struct RegimeSpec: Sendable, Hashable {
    public var ewmaHalfLifeSeconds: Int64
    public var hysteresis: Amount
    public var cooldownSeconds: Int64
    public var mmRampSeconds: Int64
    /// Shortest interval between two returns fed to the volatility EWMA (0: every accepted
    /// price). Prices in between only move the index: a fast, noisy feed would otherwise read
    /// as high realized volatility (microstructure noise), while a real move still shows at
    /// the next sample.
    public var volatilitySampleSeconds: Int64
    public var elevated: RegimeThreshold
    public var isolated: RegimeThreshold
    public var reduceOnly: RegimeThreshold

    public init(
        ewmaHalfLifeSeconds: Int64, hysteresis: Amount, cooldownSeconds: Int64, mmRampSeconds: Int64,
        volatilitySampleSeconds: Int64 = 0,
        elevated: RegimeThreshold, isolated: RegimeThreshold, reduceOnly: RegimeThreshold
    ) {
        self.volatilitySampleSeconds = volatilitySampleSeconds
        self.ewmaHalfLifeSeconds = ewmaHalfLifeSeconds
        self.hysteresis = hysteresis
        self.cooldownSeconds = cooldownSeconds
        self.mmRampSeconds = mmRampSeconds
        self.elevated = elevated
        self.isolated = isolated
        self.reduceOnly = reduceOnly
    }
}

public struct RegimeThreshold: Sendable, Hashable {
    /// Annualized volatility at which the mode is entered.
    public var volatility: Amount
    public var initialMarginMultiplier: Amount
    public var maintenanceMarginMultiplier: Amount

    public init(volatility: Amount, initialMarginMultiplier: Amount, maintenanceMarginMultiplier: Amount) {
        self.volatility = volatility
        self.initialMarginMultiplier = initialMarginMultiplier
        self.maintenanceMarginMultiplier = maintenanceMarginMultiplier
    }
}

/// A spec that fails validation: `field` is a path such as `markets[0].maintenanceMarginFraction`.
public struct SpecError: Error, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}
