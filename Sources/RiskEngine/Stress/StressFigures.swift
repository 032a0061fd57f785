/// The figures of one segment (or a total) after a scenario (API.md "Stress"; definitions in
/// RISK.md "Stress and contagion"). Amounts are exact; counts are of margin accounts.
public struct StressFigures: Sendable, Hashable {
    public var segment: String?
    /// Accounts with at least one liquidation step.
    public var accountsLiquidated = 0
    public var liquidationSteps = 0
    /// Accounts left with no position and E < 0, settled by the fund.
    public var accountsBankrupt = 0
    /// Fund shortfall that had to be socialized or left outstanding.
    public var badDebt = Amount.zero
    /// Insurance fund equity before minus after, at least 0.
    public var insuranceFundUsed = Amount.zero
    /// Insurance fund equity after, at least 0 (a shortfall shows as bad debt).
    public var insuranceFundAfter = Amount.zero
    public var lossSocialized = Amount.zero
    /// Σ max(0, equity before − equity after) over accounts with no position in a shocked market.
    public var contagionLoss = Amount.zero
    /// Accounts whose equity did not fall and that were not liquidated.
    public var accountsUnaffected = 0
    public var modeAfter = SegmentMode.normal

    public init(segment: String? = nil) {
        self.segment = segment
    }

    /// Adds `other`'s counts and amounts; the mode is the stricter one.
    mutating func add(_ other: StressFigures) {
        accountsLiquidated += other.accountsLiquidated
        liquidationSteps += other.liquidationSteps
        accountsBankrupt += other.accountsBankrupt
        badDebt = Amount(fixed: badDebt.raw + other.badDebt.raw)
        insuranceFundUsed = Amount(fixed: insuranceFundUsed.raw + other.insuranceFundUsed.raw)
        insuranceFundAfter = Amount(fixed: insuranceFundAfter.raw + other.insuranceFundAfter.raw)
        lossSocialized = Amount(fixed: lossSocialized.raw + other.lossSocialized.raw)
        contagionLoss = Amount(fixed: contagionLoss.raw + other.contagionLoss.raw)
        accountsUnaffected += other.accountsUnaffected
        modeAfter = max(modeAfter, other.modeAfter)
    }

    /// The sum of `rows` (a total has no segment).
    static func total(_ rows: [StressFigures]) -> StressFigures {
        var total = StressFigures()
        for row in rows { total.add(row) }
        return total
    }
}

/// The whole answer of a run (API.md "Stress" → 200).
public struct StressReport: Sendable, Hashable {
    public struct Architecture: Sendable, Hashable {
        /// Segmented: one row per segment. Monolithic: the twin's figures by source segment.
        public var rows: [StressFigures]
        public var total: StressFigures
    }

    public var segmented: Architecture
    /// `nil` unless the scenario asked for the comparison.
    public var monolithic: Architecture?
    public var capitalEfficiency: CapitalEfficiency
    /// Digest of the book before and after the run (equal: the run works on copies).
    public var stateHashBefore: UInt64
    public var stateHashAfter: UInt64
    /// Accounts (margin accounts in the segmented book, account ids in the twin) and positions.
    public var segmentAccounts: Int
    public var accountIds: Int
    public var positions: Int
}

/// Collateral required (RISK.md): the least collateral with which every account holds its
/// positions at E ≥ IM, for the book as it stands before the scenario.
public struct CapitalEfficiency: Sendable, Hashable {
    /// Σ over segment accounts of max(0, IM − uPnL).
    public var segmentedCollateralRequired: Amount
    /// Σ over account ids of max(0, Σ over its segment accounts of (IM − uPnL)).
    public var monolithicCollateralRequired: Amount
}
