/// One segment's complete state and the pure operations on it. Value type: the service's
/// `actor SegmentEngine` owns exactly one; replay and stress work on copies.
///
/// Every mutating operation either throws `EngineError` having changed nothing, or applies
/// the command completely. No clock, no randomness, no `Dictionary` order in any decision.
public struct Segment: Sendable {
    public private(set) var spec: SegmentSpec

    /// Builds a fresh segment from a spec that has passed `validate()`.
    public init(spec: SegmentSpec) throws(SpecError) {
        try spec.validate()
        self.spec = spec
    }

    // MARK: Commands (ENGINE HELPER: implement; signatures are the service's contract)

    /// Applies a fill (RISK.md "Fills"), then runs liquidations if any account fell below MM.
    public mutating func apply(_ fill: FillCommand) throws(EngineError) -> FillOutcome {
        fatalError("unimplemented")
    }

    /// The pre-trade check: the same decision `apply` would make, with no state change.
    public func check(_ fill: FillCommand) throws(EngineError) -> FillOutcome {
        fatalError("unimplemented")
    }

    /// Deposits (`amount` > 0) or withdraws (`amount` < 0) collateral.
    public mutating func apply(_ movement: CollateralCommand) throws(EngineError) -> CollateralOutcome {
        fatalError("unimplemented")
    }

    /// Runs each price through the oracle guard, updates index prices, then liquidates.
    public mutating func apply(_ batch: PriceBatch) -> PriceOutcome {
        fatalError("unimplemented")
    }

    /// Applies any journaled command (replay uses this).
    public mutating func apply(_ command: EngineCommand) throws(EngineError) {
        fatalError("unimplemented")
    }

    // MARK: Reads

    /// `nil` for an account the segment has never seen.
    public func marginSummary(account: String) -> MarginSummary? {
        fatalError("unimplemented")
    }

    /// Accounts sorted by id, strictly after `after`, optionally filtered by status.
    public func marginSummaries(status: AccountStatus?, after: String?, limit: Int) -> [MarginSummary] {
        fatalError("unimplemented")
    }

    /// Liquidation history, oldest first, with sequence > `after`.
    public func liquidations(after: UInt64, limit: Int) -> [LiquidationDecision] {
        fatalError("unimplemented")
    }

    public func view() -> SegmentView {
        fatalError("unimplemented")
    }

    /// A stable digest of the full state: identical for identical histories.
    public var stateHash: UInt64 {
        fatalError("unimplemented")
    }
}

// MARK: Persistence (ENGINE HELPER: implement)

extension Segment {
    /// Canonical binary form of the full state (the journal's snapshot; `stateHash` digests it).
    public func snapshot() -> [UInt8] {
        fatalError("unimplemented")
    }

    /// Rebuilds a segment from `snapshot()` bytes; throws on any malformed input.
    public init(snapshot bytes: [UInt8]) throws(EngineError) {
        fatalError("unimplemented")
    }
}

extension EngineCommand {
    /// Canonical binary encoding for the journal.
    public func encoded() -> [UInt8] {
        fatalError("unimplemented")
    }

    public init(decoding bytes: [UInt8]) throws(EngineError) {
        fatalError("unimplemented")
    }
}
