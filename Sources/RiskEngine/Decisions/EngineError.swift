/// A command the engine refuses as invalid (the API's 4xx), as opposed to a risk decision
/// that says no (`RejectReason`). A thrown `EngineError` guarantees that nothing changed.
public struct EngineError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Well-formed but invalid (HTTP 422).
        case invalid
        /// The account or other named thing does not exist (HTTP 404).
        case notFound
        /// Conflicts with current state (HTTP 409).
        case conflict
    }

    public var kind: Kind
    /// Stable API code, e.g. `unknown_market`, `collateral_not_permitted`, `amount_out_of_range`.
    public var code: String
    public var message: String

    public init(_ kind: Kind, code: String, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    public static func unknownMarket(_ id: String) -> EngineError {
        EngineError(.invalid, code: "unknown_market", message: "market '\(id)' does not exist in this segment")
    }

    public static func unknownAccount(_ id: String) -> EngineError {
        EngineError(.notFound, code: "unknown_account", message: "account '\(id)' does not exist in this segment")
    }

    public static func collateralNotPermitted(_ asset: String) -> EngineError {
        EngineError(.invalid, code: "collateral_not_permitted", message: "asset '\(asset)' is not permitted collateral in this segment")
    }

    /// A journaled command the engine no longer accepts on replay.
    public static func replayDiverged(_ what: String) -> EngineError {
        EngineError(.conflict, code: "replay_diverged", message: "\(what) is no longer accepted: the state diverged from its history")
    }

    public static let outOfRange = EngineError(.invalid, code: "amount_out_of_range", message: "the result would exceed the supported amount range")
}
