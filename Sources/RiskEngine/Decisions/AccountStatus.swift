/// API.md MarginSummary `status`. Raw values are the API strings.
public enum AccountStatus: String, Sendable, Hashable, CaseIterable {
    /// equity ≥ IM
    case healthy
    /// MM ≤ equity < IM
    case atRisk = "at_risk"
    /// equity < MM
    case liquidatable
    /// equity < 0
    case bankrupt
}
