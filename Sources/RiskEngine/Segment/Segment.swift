/// One segment's complete state and the pure operations on it. Value type: the service's
/// `actor SegmentEngine` owns exactly one; replay and stress work on copies.
///
/// Every mutating operation either throws `EngineError` having changed nothing, or applies
/// the command completely. No clock, no randomness, no `Dictionary` order in any decision.
///
/// Layout for speed: accounts live in an array indexed by a dense id (index 0 is the
/// insurance fund's backstop account `@insurance`), a dictionary only maps the string id to
/// that index, positions sit in a small array per account, and each market keeps the list of
/// accounts holding it, indexed by liquidation threshold (`LiquidationWatch`), so a price
/// tick touches only the holders whose threshold it crosses.
public struct Segment: Sendable {
    public internal(set) var spec: SegmentSpec

    /// The backstop account's id; '@' never passes the API's identifier grammar.
    public static let insuranceAccountId = "@insurance"
    static let insurance: Int32 = 0

    var accounts: [Account]
    var accountIndex: [String: Int32]
    var markets: [MarketState]
    var marketIndex: [String: Int32]
    /// Per market, the holders indexed by liquidation threshold (a derived cache).
    var watches: [LiquidationWatch]
    /// Non-settlement collateral assets (derived from the spec).
    var collateralAssets: [CollateralRule]

    // Regime state.
    var modeOverride: SegmentMode?
    var volatilityMode: SegmentMode = .normal
    /// When the volatility first fell below the current mode's exit level (cooldown start).
    var calmSince: Timestamp?
    var mode: SegmentMode = .normal
    /// The mode without the override: halted keeps these multipliers.
    var autoMode: SegmentMode = .normal
    var mmRamp: MultiplierRamp
    /// Latest command arrival seen: the engine's only notion of "now".
    var clock: Timestamp = Timestamp(nanoseconds: 0)

    /// Cumulative fund shortfall (`badDebtTotal`).
    var badDebt: Int128 = 0
    /// The part of the shortfall no account could absorb (`badDebt` in the view): keeps the
    /// segment isolated until an insurance top-up pays it.
    var outstandingBadDebt: Int128 = 0
    /// Cumulative loss socialized over accounts with positive equity.
    var socializedLossTotal: Int128 = 0
    /// The last time a shortfall was socialized: isolated for at least the cooldown after it.
    var lastBadDebtAt: Timestamp?

    // Governance (RISK.md "Governance").
    var paramsVersion: UInt64 = 1
    var paramsHistory: [ParamsVersion] = []
    /// Loosening changes waiting for `governance.looseningDelaySeconds`, by effective time.
    var pendingParams: [PendingParam] = []
    /// Why the admin set the mode floor (`modeOverride`), for `mode_change` events.
    var modeFloorReason: String = ""

    /// Events of the last command (`takeEvents()`); not state: never hashed or snapshotted.
    var events: [SegmentEvent] = []
    /// Rounding residuals below one unit (scale 10^-24, in [0, 10^16)) held by the segment
    /// until they make a whole unit for the insurance fund (see `collectResidual`).
    var roundingDust: Int128 = 0
    var liquidationSequence: UInt64 = 0
    var liquidationLog: [LiquidationDecision] = []
    /// Entries before this index are dropped (kept only until the next compaction).
    var liquidationLogStart = 0
    /// How many liquidation decisions stay in memory (older ones live only in the journal);
    /// the service sets it from `liquidations.retention` (`retainLiquidations`).
    public var liquidationRetention: Int = Segment.defaultLiquidationRetention
    public static let defaultLiquidationRetention = 10_000

    /// Monolithic stress twin only (RISK.md "Stress and contagion"): each market's own
    /// liquidation rules, indexed like `markets`. Empty everywhere else: `spec.liquidation`.
    var marketLiquidation: [LiquidationSpec] = []
    /// Stress copies only: accounts settled as bankrupt, in order. `nil` live (nothing kept).
    var bankruptcyRecord: [Int32]?
    /// The fund's deficit not yet socialized in the current liquidation pass (0 between commands).
    var pendingShortfall: Int128 = 0
    /// Bridge transfers this segment takes part in (its own side only).
    var transfers = TransferLedger()
    /// How many settled outgoing transfers stay in memory for `GET /v1/transfers/{id}`.
    public var transferRetention: Int = 10_000

    /// Builds a fresh segment from a spec that has passed `validate()`.
    public init(spec: SegmentSpec) throws(SpecError) {
        try spec.validate()
        self.init(validated: spec)
    }

    /// A spec already checked (or, for the stress twin, assembled from checked specs).
    init(validated spec: SegmentSpec) {
        self.spec = spec
        var insurance = Account(id: Self.insuranceAccountId)
        insurance.settlement = spec.insuranceFund.raw
        accounts = [insurance]
        accountIndex = [Self.insuranceAccountId: Self.insurance]
        markets = spec.markets.map { MarketState(id: $0.id) }
        watches = Array(repeating: LiquidationWatch(), count: spec.markets.count)
        var marketIndex: [String: Int32] = [:]
        for (i, market) in spec.markets.enumerated() { marketIndex[market.id] = Int32(i) }
        self.marketIndex = marketIndex
        collateralAssets = Self.collateralRules(spec: spec, marketIndex: marketIndex)
        mmRamp = MultiplierRamp(from: Fixed.unit, to: Fixed.unit, start: Timestamp(nanoseconds: 0))
        refreshMode(now: clock)  // e.g. a fund that starts below its floor starts isolated
    }

    static func collateralRules(spec: SegmentSpec, marketIndex: [String: Int32]) -> [CollateralRule] {
        spec.collateral.compactMap { c in
            guard c.asset != spec.settlementAsset, let market = c.priceMarket, let m = marketIndex[market] else { return nil }
            return CollateralRule(asset: c.asset, weight: c.weight.raw, priceMarket: m)
        }
    }

    // MARK: Commands

    /// Applies a fill (RISK.md "Fills"), then runs liquidations if any account fell below MM.
    public mutating func apply(_ fill: FillCommand) throws(EngineError) -> FillOutcome {
        try applyFill(fill)
    }

    /// The pre-trade check: the same decision `apply` would make, with no state change.
    public func check(_ fill: FillCommand) throws(EngineError) -> FillOutcome {
        let plan = try planFill(fill)
        if plan.decision.isAccepted, plan.liquidatesAfter || feeMayLiftFundOverFloor(at: fill.arrival) {
            // Rare: the fill would trigger liquidations or a mode change; answer exactly what
            // apply would by applying to a copy (copying the accounts is the whole cost).
            var copy = self
            return try copy.apply(fill)
        }
        return FillOutcome(decision: plan.decision, account: plan.summary ?? emptySummary(fill.account))
    }

    /// A fill moves the insurance fund only by its fee (≥ 0), so it can change the mode through
    /// the floor only while the fund is below it (the fee may lift it out of `isolated`).
    private func feeMayLiftFundOverFloor(at arrival: Timestamp) -> Bool {
        guard let floor = spec.insuranceFundFloor else { return false }
        return insuranceEquity(now: max(clock, arrival)) < floor.raw
    }

    /// Deposits (`amount` > 0) or withdraws (`amount` < 0) collateral.
    public mutating func apply(_ movement: CollateralCommand) throws(EngineError) -> CollateralOutcome {
        try applyCollateral(movement)
    }

    /// Runs each price through the oracle guard, updates index prices, then liquidates.
    @discardableResult
    public mutating func apply(_ batch: PriceBatch) -> PriceOutcome {
        applyPrices(batch)
    }

    /// Applies any journaled command (replay uses this). The events it produced are in
    /// `takeEvents()` until the next command.
    public mutating func apply(_ command: EngineCommand) throws(EngineError) {
        events.removeAll(keepingCapacity: true)
        switch command {
        case .fill(let fill): _ = try apply(fill)
        case .collateral(let movement): _ = try apply(movement)
        case .prices(let batch): _ = apply(batch)
        case .setModeOverride(let mode, let arrival): _ = setModeOverride(mode, arrival: arrival)
        case .transferDebit(let debit):
            // Only accepted debits are journaled: a rejection now means the state diverged.
            guard try apply(debit).decision.isAccepted else { throw .replayDiverged("transfer debit \(debit.id)") }
        case .transferCredit(let credit):
            guard apply(credit).isApplied else { throw .replayDiverged("transfer credit \(credit.id)") }
        case .transferSettlement(let settlement): _ = try apply(settlement)
        case .changeParams(let change): _ = try apply(change)
        case .setModeFloor(let floor): _ = try apply(floor)
        case .topUpInsurance(let topUp): _ = try apply(topUp)
        }
    }

    /// Sets (or clears with `nil`) the admin mode override, then re-runs liquidations.
    @discardableResult
    public mutating func setModeOverride(_ override: SegmentMode?, arrival: Timestamp) -> [LiquidationDecision] {
        let now = advance(to: arrival)
        modeOverride = override
        refreshMode(now: now)
        return liquidateAll(now: now)
    }

    /// The events the commands since the last call produced, in order; clears them.
    public mutating func takeEvents() -> [SegmentEvent] {
        guard !events.isEmpty else { return [] }
        defer { events.removeAll(keepingCapacity: true) }
        return events
    }

    // MARK: Reads

    /// The current mode (automatic from regimes, or the admin override).
    public var currentMode: SegmentMode { mode }

    /// `nil` for an account the segment has never seen.
    ///
    /// `at` is the reader's time: while a raised maintenance multiplier ramps in, requirements
    /// (and so the liquidation price) move with time, and a read should show them as of now,
    /// not as of the last command. It never moves the engine's own clock; `nil` reads as of
    /// the last command.
    public func marginSummary(account: String, at: Timestamp? = nil) -> MarginSummary? {
        guard let index = accountIndex[account], index != Self.insurance else { return nil }
        return summary(of: accounts[Int(index)], context: ValuationContext(segment: self, now: readTime(at)))
    }

    /// The valuation time of a read: never before the last command.
    func readTime(_ at: Timestamp?) -> Timestamp {
        at.map { max(clock, $0) } ?? clock
    }

    /// Accounts sorted by id, strictly after `after`, optionally filtered by status.
    public func marginSummaries(status: AccountStatus?, after: String?, limit: Int, at: Timestamp? = nil) -> [MarginSummary] {
        guard limit > 0 else { return [] }
        var ids: [String]
        if status == nil {
            // Only the first `limit` ids are needed: keep a small sorted window instead of
            // sorting every account id on each page.
            ids = []
            ids.reserveCapacity(min(limit, accountIndex.count))
            for id in accountIndex.keys where id != Self.insuranceAccountId && (after.map { id > $0 } ?? true) {
                if ids.count == limit, let last = ids.last, id >= last { continue }
                var low = 0, high = ids.count
                while low < high {
                    let mid = (low + high) / 2
                    if ids[mid] < id { low = mid + 1 } else { high = mid }
                }
                ids.insert(id, at: low)
                if ids.count > limit { ids.removeLast() }
            }
        } else {
            ids = accountIndex.keys.filter { id in id != Self.insuranceAccountId && (after.map { id > $0 } ?? true) }
            ids.sort()
        }
        let context = ValuationContext(segment: self, now: readTime(at))
        var result: [MarginSummary] = []
        for id in ids {
            guard let index = accountIndex[id] else { continue }
            let account = accounts[Int(index)]
            if let status, safeValuation(account, context)?.status != status { continue }
            result.append(summary(of: account, context: context))
            if result.count >= limit { break }
        }
        return result
    }

    /// Liquidation history still in memory, oldest first, with sequence > `after`.
    public func liquidations(after: UInt64, limit: Int) -> [LiquidationDecision] {
        guard limit > 0 else { return [] }
        var result: [LiquidationDecision] = []
        for decision in liquidationLog[liquidationLogStart...] where decision.sequence > after {
            result.append(decision)
            if result.count >= limit { break }
        }
        return result
    }

    /// Keeps at most `count` decisions from now on, dropping the oldest beyond it at once.
    /// Not state: retention decides what a read shows, never a risk decision.
    public mutating func retainLiquidations(_ count: Int) {
        liquidationRetention = max(0, count)
        if liquidationLog.count - liquidationLogStart > liquidationRetention {
            liquidationLogStart = liquidationLog.count - liquidationRetention
        }
    }

    /// The sequence of the oldest decision still in memory (`nil` when none is kept). Older
    /// ones were dropped by `liquidationRetention` and live only in the journal.
    public var oldestRetainedLiquidation: UInt64? {
        liquidationLogStart < liquidationLog.count ? liquidationLog[liquidationLogStart].sequence : nil
    }

    /// Whether a page of `liquidations(after:limit:)` misses decisions because they were
    /// dropped: some sequence in `after + 1 ..< first kept` existed and is no longer kept.
    public func liquidationHistoryTruncated(after: UInt64) -> Bool {
        let firstAvailable = oldestRetainedLiquidation ?? (liquidationSequence + 1)
        return after < firstAvailable - 1
    }

    /// A stable digest of the full state: FNV-1a 64 over the snapshot's state part.
    public var stateHash: UInt64 { Self.stateHash(of: stateBytes()) }

    /// FNV-1a over the state bytes.
    static func stateHash(of bytes: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    // MARK: Shared helpers

    /// Moves the engine's clock forward (never back) and returns "now" for this command.
    mutating func advance(to arrival: Timestamp) -> Timestamp {
        if arrival > clock { clock = arrival }
        if let first = pendingParams.first, first.effectiveAt <= clock { applyDueParams(now: clock) }
        return clock
    }

    func now(for arrival: Timestamp) -> Timestamp { max(clock, arrival) }

    /// Index of an account, creating it on first use.
    mutating func accountSlot(_ id: String) -> Int32 {
        if let index = accountIndex[id] { return index }
        let index = Int32(accounts.count)
        accounts.append(Account(id: id))
        accountIndex[id] = index
        return index
    }

    /// Market slot by id: a short linear scan beats hashing for the usual handful of markets.
    func marketSlot(_ id: String) -> Int32? {
        if markets.count <= 16 {
            for i in markets.indices where markets[i].id == id { return Int32(i) }
            return nil
        }
        return marketIndex[id]
    }

    static func validateAccountId(_ id: String) throws(EngineError) {
        guard isIdentifier(id) else {
            throw EngineError(.invalid, code: "invalid_account", message: "account id must be 1–64 characters of [A-Za-z0-9._-]")
        }
    }
}

/// A permitted non-settlement collateral asset.
struct CollateralRule: Sendable, Hashable {
    var asset: String
    var weight: Int128
    var priceMarket: Int32
}

/// A raised maintenance multiplier ramps in linearly (RISK.md "Regimes", Euler v2 LTV ramp).
struct MultiplierRamp: Sendable, Hashable {
    var from: Int128
    var to: Int128
    var start: Timestamp
}

func isIdentifier(_ id: String) -> Bool {
    Identifier.isValid(id)
}
