/// Bounds on one `PUT …/params` step (RISK.md "Governance"; Aave risk stewards, MetaMorpho's
/// timelock). Defaults are the bracketed values of the table.
public struct GovernanceSpec: Sendable, Hashable {
    /// Largest absolute change of an initial or maintenance margin fraction.
    public var maxFractionStep: Amount
    /// Open-interest caps (and other limits) move by at most × or ÷ this factor.
    public var maxRelativeStep: Amount
    /// Largest absolute change of a collateral weight.
    public var maxWeightStep: Amount
    /// Penalty, buffer, oracle ages and jump, regime thresholds: at most this fraction of
    /// the current value (± 50%).
    public var maxProportionalStep: Amount
    /// A loosening change waits this long before it applies.
    public var looseningDelaySeconds: Int64

    public init(
        maxFractionStep: Amount = Amount(uncheckedRaw: 2_000_000), maxRelativeStep: Amount = Amount(2),
        maxWeightStep: Amount = Amount(uncheckedRaw: 5_000_000), maxProportionalStep: Amount = Amount(uncheckedRaw: 50_000_000),
        looseningDelaySeconds: Int64 = 3600
    ) {
        self.maxFractionStep = maxFractionStep
        self.maxRelativeStep = maxRelativeStep
        self.maxWeightStep = maxWeightStep
        self.maxProportionalStep = maxProportionalStep
        self.looseningDelaySeconds = looseningDelaySeconds
    }

    public static let standard = GovernanceSpec()
}
