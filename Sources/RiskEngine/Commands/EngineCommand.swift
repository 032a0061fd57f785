/// Every state-changing input of a segment, in the form the journal stores and replay
/// re-applies. Applying the same commands in the same order gives the same state, bit for bit.
public enum EngineCommand: Sendable, Hashable {
    case fill(FillCommand)
    case collateral(CollateralCommand)
    case prices(PriceBatch)
    /// Admin mode override (`halted`, or back to automatic with `nil`).
    case setModeOverride(SegmentMode?, arrival: Timestamp)
    // Bridges (codec tags 10–19): the three steps of a transfer between segments.
    case transferDebit(TransferDebit)
    case transferCredit(TransferCredit)
    case transferSettlement(TransferSettlement)
}
