/// The same book pooled (RISK.md "Stress and contagion"): one account per account id across
/// the segments, one insurance fund (the sum), one socialization pool. Markets and collateral
/// keep their segment's numbers under namespaced ids (`majors/ETH-USD`, `alts/ETH`), so every
/// valuation is identical at the start and every difference comes from pooling alone:
/// - each market keeps its fractions, with the segment's current mode multipliers folded in
///   (the twin has one mode, starting `normal`), and its segment's liquidation rules
///   (`Segment.marketLiquidation`);
/// - each collateral balance keeps the weight and price market of the segment it came from;
/// - an account's exact equity and margins (scale 10⁻²⁴) are the sums of its segment
///   accounts' exact figures, term for term. The reported figures round once per account, so
///   the twin's ⌊ΣE⌋ can exceed Σ⌊E⌋ (and ⌈ΣMM⌉ fall short of Σ⌈MM⌉) by less than one unit
///   per extra segment account of that id (docs/engine-rounding.md "The monolithic twin").
struct MonolithicTwin {
    var segment: Segment
    /// Book index of the segment each twin market came from.
    var rowOfMarket: [Int]
    /// Per twin account: the book index where that id had the largest equity (ties: first).
    var homeRow: [Int]
    /// Twin slot of market 0 of each book segment.
    var marketOffset: [Int]

    static let id = "monolithic"

    init(book: [Segment], now: Timestamp) {
        var markets: [MarketSpec] = [], liquidation: [LiquidationSpec] = []
        var rowOfMarket: [Int] = [], marketOffset: [Int] = [], collateralOffset: [Int] = []
        let first = book[0].spec
        var collateral = [CollateralSpec(asset: first.settlementAsset, weight: .one)]
        var regimes = first.regimes
        var oracle = first.oracle
        var floor: Int128?
        for (s, segment) in book.enumerated() {
            let prefix = segment.spec.id + "/"
            marketOffset.append(markets.count)
            let kIM = segment.initialMultiplier, kMM = segment.maintenanceMultiplier(at: now)
            for var market in segment.spec.markets {
                market.id = prefix + market.id
                market.initialMarginFraction = Self.fold(market.initialMarginFraction, kIM)
                market.maintenanceMarginFraction = Self.fold(market.maintenanceMarginFraction, kMM)
                markets.append(market)
                liquidation.append(segment.spec.liquidation)
                rowOfMarket.append(s)
            }
            collateralOffset.append(collateral.count - 1)  // the settlement entry is not a rule
            for rule in segment.collateralAssets {
                collateral.append(CollateralSpec(
                    asset: prefix + rule.asset, weight: Amount(fixed: rule.weight),
                    priceMarket: prefix + segment.spec.markets[Int(rule.priceMarket)].id))
            }
            oracle.liquidationMaxAgeSeconds = max(oracle.liquidationMaxAgeSeconds, segment.spec.oracle.liquidationMaxAgeSeconds)
            oracle.maxAgeSeconds = max(oracle.maxAgeSeconds, segment.spec.oracle.maxAgeSeconds)
            regimes = Self.strictest(regimes, segment.spec.regimes)
            if let f = segment.spec.insuranceFundFloor { floor = (floor ?? 0) + f.raw }
        }
        let spec = SegmentSpec(
            id: Self.id, settlementAsset: first.settlementAsset, collateral: collateral, markets: markets,
            oracle: oracle, liquidation: first.liquidation, insuranceFund: .zero, regimes: regimes,
            insuranceFundFloor: floor.map { Amount(fixed: $0) })
        var twin = Segment(validated: spec)
        twin.marketLiquidation = liquidation
        twin.clock = now
        for (s, segment) in book.enumerated() {
            for m in segment.markets.indices {
                twin.markets[marketOffset[s] + m].index = segment.markets[m].index
                twin.markets[marketOffset[s] + m].priceTime = now
            }
        }

        // Merge accounts by id, in book order; positions stay sorted by twin market slot.
        var homeRow = [0], homeEquity: [Int128] = [0]
        let rules = twin.collateralAssets.count
        for (s, segment) in book.enumerated() {
            let context = ValuationContext(segment: segment, now: now)
            for account in segment.accounts {
                let t: Int
                if let existing = twin.accountIndex[account.id] {
                    t = Int(existing)
                } else {
                    t = twin.accounts.count
                    twin.accountIndex[account.id] = Int32(t)
                    twin.accounts.append(Account(id: account.id))
                    homeRow.append(s)
                    homeEquity.append(.min)
                }
                twin.accounts[t].settlement += account.settlement
                for (k, balance) in account.others.enumerated() where balance != 0 {
                    twin.accounts[t].setOther(collateralOffset[s] + k, twin.accounts[t].other(collateralOffset[s] + k) + balance, count: rules)
                }
                for p in account.positions {
                    twin.accounts[t].positions.append(Position(market: Int32(marketOffset[s]) + p.market, holderSlot: -1, size: p.size, entry: p.entry))
                }
                let equity = segment.safeValuation(account, context)?.equity ?? 0
                if equity > homeEquity[t] { homeEquity[t] = equity; homeRow[t] = s }
            }
        }
        // Register holders and open interest through the live bookkeeping.
        for t in twin.accounts.indices {
            let built = twin.accounts[t]
            twin.accounts[t] = Account(id: built.id)
            twin.commit(Int32(t), built)
        }
        twin.refreshMode(now: now)
        self.segment = twin
        self.rowOfMarket = rowOfMarket
        self.homeRow = homeRow
        self.marketOffset = marketOffset
    }

    /// A fraction with a mode multiplier folded in, rounded up as the valuation does.
    static func fold(_ fraction: Amount, _ multiplier: Int128) -> Amount {
        guard multiplier != Fixed.unit, let folded = try? Fixed.mul(fraction.raw, multiplier, .up) else { return fraction }
        return Amount(fixed: folded)
    }

    /// The stricter multipliers and the longer cooldown and ramp of two regime specs.
    static func strictest(_ a: RegimeSpec, _ b: RegimeSpec) -> RegimeSpec {
        func level(_ x: RegimeThreshold, _ y: RegimeThreshold) -> RegimeThreshold {
            RegimeThreshold(
                volatility: Amount.min(x.volatility, y.volatility),
                initialMarginMultiplier: Amount.max(x.initialMarginMultiplier, y.initialMarginMultiplier),
                maintenanceMarginMultiplier: Amount.max(x.maintenanceMarginMultiplier, y.maintenanceMarginMultiplier))
        }
        var r = a
        r.cooldownSeconds = max(a.cooldownSeconds, b.cooldownSeconds)
        r.mmRampSeconds = max(a.mmRampSeconds, b.mmRampSeconds)
        r.elevated = level(a.elevated, b.elevated)
        r.isolated = level(a.isolated, b.isolated)
        r.reduceOnly = level(a.reduceOnly, b.reduceOnly)
        return r
    }
}
