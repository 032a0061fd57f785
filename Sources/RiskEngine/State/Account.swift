/// One margin account of a segment. Amounts are raw fixed-point (`Amount.raw`).
struct Account: Sendable, Hashable {
    var id: String
    /// Settlement-asset balance; may be negative after losses and fees.
    var settlement: Int128 = 0
    /// Balances of the non-settlement collateral assets, indexed like `Segment.collateralAssets`;
    /// empty until the account first holds one (most accounts never do).
    var others: [Int128] = []
    /// Open positions, sorted by market index.
    var positions: [Position] = []
    /// Settlement-only collateral and exactly one position: a price tick can check this
    /// account from its market's holder arrays without touching `positions`.
    var isSimple = false

    init(id: String) { self.id = id }

    func positionIndex(market: Int32) -> Int? {
        for i in positions.indices where positions[i].market == market { return i }
        return nil
    }

    func size(market: Int32) -> Int128 {
        if let i = positionIndex(market: market) { return positions[i].size }
        return 0
    }

    func other(_ asset: Int) -> Int128 { asset < others.count ? others[asset] : 0 }

    mutating func setOther(_ asset: Int, _ value: Int128, count: Int) {
        if others.isEmpty { if value == 0 { return }; others = Array(repeating: 0, count: count) }
        others[asset] = value
    }
}

/// A perpetual position: signed size and entry price (raw fixed-point).
struct Position: Sendable, Hashable {
    var market: Int32
    /// Slot of this account in the market's holder list (kept in sync on swap-remove).
    var holderSlot: Int32
    var size: Int128
    var entry: Int128
}
