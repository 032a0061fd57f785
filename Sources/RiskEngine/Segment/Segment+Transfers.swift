/// The segment-level steps of a transfer between segments (RISK.md "Bridges"). Each step
/// touches this segment's state only; the service runs them in the two actors in turn.
extension Segment {
    /// Step 1 in the source: checks in API.md's order — `segment_halted` (either end), then
    /// `bridge_closed`, `bridge_limit` (over `maxTransfer` or the window's remaining amount),
    /// `insufficient_margin` (balance below the amount, or E < IM afterwards) — then debits
    /// and records the transfer as `pending`. A rejection changes nothing (not even the clock).
    public mutating func apply(_ debit: TransferDebit) throws(EngineError) -> TransferDebitOutcome {
        let bridge = debit.bridge
        try Self.validateAccountId(debit.account)
        guard bridge.from == spec.id else {
            throw EngineError(.invalid, code: "bridge_mismatch", message: "bridge starts at '\(bridge.from)', not at '\(spec.id)'")
        }
        guard debit.amount.isPositive else {
            throw EngineError(.invalid, code: "invalid_amount", message: "amount must be greater than 0")
        }
        guard debit.id > 0, ledgerIsNew(debit.id) else {
            throw EngineError(.conflict, code: "transfer_exists", message: "transfer \(TransferRecord.idText(debit.id)) already exists")
        }
        let asset = try assetSlot(bridge.asset)
        let now = now(for: debit.arrival)
        let existingIndex = accountIndex[debit.account]
        func reject(_ reason: RejectReason, _ message: String) -> TransferDebitOutcome {
            let current = existingIndex.map { summary(of: accounts[Int($0)], context: ValuationContext(segment: self, now: now)) }
                ?? emptySummary(debit.account)
            return TransferDebitOutcome(decision: .rejected(reason, message: message), transfer: nil, account: current)
        }
        if mode == .halted { return reject(.segmentHalted, "segment '\(spec.id)' is halted") }
        if debit.destinationMode == .halted { return reject(.segmentHalted, "segment '\(bridge.to)' is halted") }
        let status = bridge.status(fromMode: mode, toMode: debit.destinationMode)
        if status.state == .closed { return reject(.bridgeClosed, "bridge \(bridge.key) is closed: \(status.reason)") }
        if debit.amount > bridge.maxTransfer {
            return reject(.bridgeLimit, "amount \(debit.amount) is over the bridge's maxTransfer \(bridge.maxTransfer)")
        }
        let used = transfers.windows[WindowKey(to: bridge.to, asset: bridge.asset)]?.used(windowSeconds: bridge.windowSeconds, at: now) ?? 0
        let remaining = max(0, status.effectiveLimit.raw - used)
        if debit.amount.raw > remaining {
            return reject(.bridgeLimit, "amount \(debit.amount) is over the \(Amount(fixed: remaining)) left in the bridge's window (\(status.state.rawValue))")
        }
        guard existingIndex != nil else { return reject(.insufficientMargin, "account has no balance to transfer") }
        var account = accounts[Int(existingIndex!)]
        do {
            let balance = asset.map { account.other($0) } ?? account.settlement
            let newBalance = try Fixed.checked(balance - debit.amount.raw)
            guard newBalance >= 0 else {
                return reject(.insufficientMargin, "balance of \(bridge.asset) would be \(Amount(fixed: newBalance))")
            }
            if let asset { account.setOther(asset, newBalance, count: collateralAssets.count) } else { account.settlement = newBalance }
            let v = try valuation(account, ValuationContext(segment: self, now: now))
            guard v.equity >= v.initialMargin else {
                return reject(.insufficientMargin, "equity \(Amount(fixed: v.equity)) < initial margin \(Amount(fixed: v.initialMargin)) after the transfer")
            }
        } catch {
            throw .outOfRange
        }
        let advanced = advance(to: debit.arrival)
        commit(existingIndex!, account)
        let record = TransferRecord(
            id: debit.id, state: .pending, account: debit.account, from: spec.id, to: bridge.to, asset: bridge.asset,
            amount: debit.amount, timestamp: advanced)
        transfers.pending[debit.id] = record
        transfers.windows[WindowKey(to: bridge.to, asset: bridge.asset), default: TransferWindow()]
            .record(debit.amount.raw, at: advanced, windowSeconds: bridge.windowSeconds)
        transfers.lastId = max(transfers.lastId, debit.id)
        if refreshMode(now: advanced) { _ = liquidateAll(now: advanced) }
        let after = summary(of: accounts[Int(existingIndex!)], context: ValuationContext(segment: self, now: advanced))
        return TransferDebitOutcome(decision: .accepted, transfer: record, account: after)
    }

    /// Step 2 in the destination: credits once per id. Refused (changing nothing) when the
    /// segment is halted, the asset is not permitted here, or the balance would leave the
    /// amount range: the source then refunds. A repeated id changes nothing.
    public mutating func apply(_ credit: TransferCredit) -> TransferCreditOutcome {
        if transfers.credited.contains(credit.id) {
            return .alreadyCredited(marginSummary(account: credit.account))
        }
        guard Identifier.isValid(credit.account), credit.amount.isPositive, credit.from != spec.id else {
            return .refused("the credit is malformed")
        }
        if mode == .halted { return .refused("segment '\(spec.id)' is halted") }
        let asset: Int?
        do { asset = try assetSlot(credit.asset) } catch {
            return .refused("asset '\(credit.asset)' is not permitted in segment '\(spec.id)'")
        }
        var account = accountIndex[credit.account].map { accounts[Int($0)] } ?? Account(id: credit.account)
        let balance = asset.map { account.other($0) } ?? account.settlement
        guard let newBalance = try? Fixed.checked(balance + credit.amount.raw) else {
            return .refused("the balance of \(credit.asset) would leave the supported range")
        }
        if let asset { account.setOther(asset, newBalance, count: collateralAssets.count) } else { account.settlement = newBalance }
        let advanced = advance(to: credit.arrival)
        let index = accountSlot(credit.account)
        commit(index, account)
        transfers.credited.insert(credit.id)
        transfers.lastId = max(transfers.lastId, credit.id)
        if refreshMode(now: advanced) { _ = liquidateAll(now: advanced) }
        return .credited(summary(of: accounts[Int(index)], context: ValuationContext(segment: self, now: advanced)))
    }

    /// Step 3 in the source: `completed`, or `refunded` with the amount credited back (always
    /// possible: a refund is a deposit, which even a halted segment takes). Returns the
    /// settled record, or `nil` when the id is not pending here (already settled: no-op).
    public mutating func apply(_ settlement: TransferSettlement) throws(EngineError) -> TransferRecord? {
        guard settlement.outcome != .pending else {
            throw EngineError(.invalid, code: "invalid_settlement", message: "a transfer settles as completed or refunded")
        }
        guard var record = transfers.pending[settlement.id] else { return nil }
        if settlement.outcome == .refunded {
            let asset = try assetSlot(record.asset)
            let index = accountSlot(record.account)
            var account = accounts[Int(index)]
            let balance = asset.map { account.other($0) } ?? account.settlement
            // The amount left this balance at the debit, so it fits back unless losses since
            // pushed a settlement balance below −limit (then out of range, as any deposit).
            guard let newBalance = try? Fixed.checked(balance + record.amount.raw) else { throw .outOfRange }
            if let asset { account.setOther(asset, newBalance, count: collateralAssets.count) } else { account.settlement = newBalance }
            commit(index, account)
        }
        let advanced = advance(to: settlement.arrival)
        transfers.pending[settlement.id] = nil
        record.state = settlement.outcome
        appendTransferHistory(record)
        if settlement.outcome == .refunded, refreshMode(now: advanced) { _ = liquidateAll(now: advanced) }
        return record
    }

    // MARK: Reads

    /// Transfers debited here and not yet settled, by id: what recovery finishes.
    public var pendingTransfers: [TransferRecord] {
        transfers.pending.keys.sorted().map { transfers.pending[$0]! }
    }

    /// Whether this segment has credited the transfer (recovery completes it instead of retrying).
    public func hasCredited(transfer id: UInt64) -> Bool { transfers.credited.contains(id) }

    /// The highest transfer id this segment has seen.
    public var lastTransferId: UInt64 { transfers.lastId }

    /// An outgoing transfer of this segment, pending or still in the retained history.
    public func transfer(_ id: UInt64) -> TransferRecord? {
        if let pending = transfers.pending[id] { return pending }
        return transfers.history.last { $0.id == id }
    }

    /// The amount accepted over `bridge` (which starts here) in its window as of `at`.
    public func bridgeUsage(_ bridge: BridgeSpec, at: Timestamp? = nil) -> Amount {
        let used = transfers.windows[WindowKey(to: bridge.to, asset: bridge.asset)]?
            .used(windowSeconds: bridge.windowSeconds, at: readTime(at)) ?? 0
        return Amount(fixed: used)
    }

    // MARK: Helpers

    /// `nil` for the settlement asset, else the collateral slot; throws when not permitted.
    func assetSlot(_ asset: String) throws(EngineError) -> Int? {
        if asset == spec.settlementAsset { return nil }
        if let k = collateralAssets.firstIndex(where: { $0.asset == asset }) { return k }
        throw .collateralNotPermitted(asset)
    }

    /// An id not used by a debit here still pending or credited here.
    func ledgerIsNew(_ id: UInt64) -> Bool {
        transfers.pending[id] == nil && !transfers.credited.contains(id) && transfer(id) == nil
    }

    mutating func appendTransferHistory(_ record: TransferRecord) {
        transfers.history.append(record)
        let keep = max(transferRetention, 0)
        // Trim in halves: amortized O(1) per settlement, memory ≤ 2·retention.
        if transfers.history.count > 2 * keep || (keep == 0 && !transfers.history.isEmpty) {
            transfers.history.removeFirst(transfers.history.count - keep)
        }
    }
}
