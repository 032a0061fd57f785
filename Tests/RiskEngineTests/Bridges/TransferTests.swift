import Testing
@testable import RiskEngine

@Suite struct TransferTests {
    @Test func completedTransferMovesTheAmount() throws {
        var pair = BridgePair()
        let debit = try pair.debit("500", at: 1)
        #expect(debit.decision == .accepted)
        #expect(debit.transfer == TransferRecord(
            id: 1, state: .pending, account: "alice", from: "majors", to: "alts", asset: "USDC", amount: a("500"), timestamp: t(1)))
        #expect(debit.account.balances.first?.balance == a("4500"))
        #expect(pair.source.pendingTransfers.map(\.id) == [1])
        let credit = pair.destination.apply(TransferCredit(for: debit.transfer!, arrival: t(2)))
        guard case .credited(let after) = credit else { Issue.record("not credited: \(credit)"); return }
        #expect(after.balances.first?.balance == a("500"))
        let settled = try pair.source.apply(TransferSettlement(id: 1, outcome: .completed, arrival: t(2)))
        #expect(settled?.state == .completed)
        #expect(pair.source.pendingTransfers.isEmpty)
        #expect(pair.source.transfer(1)?.state == .completed)
        #expect(pair.source.balance("alice") == a("4500"))
        #expect(pair.source.lastTransferId == 1 && pair.destination.lastTransferId == 1)
    }

    /// A second credit of the same id (a retry after a crash) changes nothing.
    @Test func creditIsAppliedOncePerId() throws {
        var pair = BridgePair()
        let record = try pair.debit("100").transfer!
        #expect(pair.destination.apply(TransferCredit(for: record, arrival: t(2))).isApplied)
        let hash = pair.destination.stateHash
        let again = pair.destination.apply(TransferCredit(for: record, arrival: t(3)))
        guard case .alreadyCredited = again else { Issue.record("credited twice: \(again)"); return }
        #expect(pair.destination.stateHash == hash)
        #expect(pair.destination.balance("alice") == a("100"))
        #expect(pair.destination.hasCredited(transfer: record.id))
    }

    /// A halted destination refuses the credit, changing nothing; the source refunds.
    @Test func impossibleCreditIsRefunded() throws {
        var pair = BridgePair()
        let record = try pair.debit("100", at: 1).transfer!
        pair.destination.setModeOverride(.halted, arrival: t(2))
        let hash = pair.destination.stateHash
        let credit = pair.destination.apply(TransferCredit(for: record, arrival: t(3)))
        guard case .refused(let reason) = credit else { Issue.record("credited: \(credit)"); return }
        #expect(reason == "segment 'alts' is halted")
        #expect(pair.destination.stateHash == hash)
        let refunded = try pair.source.apply(TransferSettlement(id: record.id, outcome: .refunded, arrival: t(3)))
        #expect(refunded?.state == .refunded)
        #expect(pair.source.balance("alice") == a("5000"))
        // Settling again is a no-op.
        let hashAfter = pair.source.stateHash
        #expect(try pair.source.apply(TransferSettlement(id: record.id, outcome: .refunded, arrival: t(4))) == nil)
        #expect(try pair.source.apply(TransferSettlement(id: record.id, outcome: .completed, arrival: t(4))) == nil)
        #expect(pair.source.stateHash == hashAfter)
    }

    @Test func creditOfAnAssetNotPermittedIsRefused() {
        var destination = makeSegment(makeSpec(id: "alts"))
        let credit = TransferCredit(id: 9, account: "alice", from: "majors", asset: "BTC", amount: a("1"), arrival: t(1))
        #expect(destination.apply(credit) == .refused("asset 'BTC' is not permitted in segment 'alts'"))
    }

    // MARK: Limits at their edges

    @Test func maxTransferEdge() throws {
        var pair = BridgePair()
        let over = try pair.debit("600.00000001")
        #expect(over.decision.reason == .bridgeLimit)
        #expect(try pair.debit("600").decision == .accepted)
    }

    /// 1000 per 3600 s: 600 + 400 fill the window; one more unit is refused until the first
    /// transfer's acceptance time + 3600 s, when exactly its 600 comes back.
    @Test func windowEdges() throws {
        var pair = BridgePair()
        #expect(try pair.transfer("600", at: 0) == .completed)
        #expect(try pair.transfer("400", at: 10) == .completed)
        #expect(try pair.debit("0.00000001", at: 11).decision.reason == .bridgeLimit)
        #expect(try pair.debit("0.00000001", at: 3599).decision.reason == .bridgeLimit)
        #expect(pair.source.bridgeUsage(pair.bridge, at: t(3599)) == a("1000"))
        #expect(pair.source.bridgeUsage(pair.bridge, at: t(3600)) == a("400"))
        #expect(try pair.debit("600.00000001", at: 3600).decision.reason == .bridgeLimit)
        #expect(try pair.transfer("600", at: 3600) == .completed)
        #expect(try pair.debit("0.00000001", at: 3609).decision.reason == .bridgeLimit)
        #expect(try pair.transfer("400", at: 3610) == .completed)
    }

    /// A refund does not give the window back (it counts accepted transfers).
    @Test func refundedTransfersStillCountInTheWindow() throws {
        var pair = BridgePair()
        pair.destination.setModeOverride(.halted, arrival: t(0))
        pair.destination.setModeOverride(nil, arrival: t(0))
        let record = try pair.debit("600", at: 1).transfer!
        _ = try pair.source.apply(TransferSettlement(id: record.id, outcome: .refunded, arrival: t(2)))
        #expect(pair.source.bridgeUsage(pair.bridge, at: t(2)) == a("600"))
        #expect(try pair.debit("400.00000001", at: 3).decision.reason == .bridgeLimit)
    }

    /// Elevated at either end: 1000 × 0.25 = 250 for the window.
    @Test(arguments: [true, false])
    func elevatedEndCutsTheWindow(sourceElevated: Bool) throws {
        var pair = BridgePair()
        if sourceElevated { pair.source.setModeOverride(.elevated, arrival: t(0)) } else { pair.destination.setModeOverride(.elevated, arrival: t(0)) }
        #expect(try pair.debit("250.00000001").decision.reason == .bridgeLimit)
        #expect(try pair.transfer("200", at: 1) == .completed)
        #expect(try pair.debit("50.00000001", at: 2).decision.reason == .bridgeLimit)
        #expect(try pair.transfer("50", at: 2) == .completed)
        // Back to normal: the full 1000 less the 250 used.
        if sourceElevated { pair.source.setModeOverride(nil, arrival: t(3)) } else { pair.destination.setModeOverride(nil, arrival: t(3)) }
        #expect(try pair.debit("750.00000001", at: 4).decision.reason == .bridgeLimit)
        #expect(try pair.transfer("600", at: 4) == .completed)
    }

    /// The window's memory bound merges the oldest entries into the later time: never looser.
    @Test func windowStaysBoundedAndNeverLooser() {
        var window = TransferWindow()
        for i in 0..<(TransferWindow.capacity + 10) {
            window.record(Int128(Fixed.unit), at: t(Int64(i)), windowSeconds: 100_000)
        }
        #expect(window.entries.count == TransferWindow.capacity)
        #expect(window.used(windowSeconds: 100_000, at: t(Int64(TransferWindow.capacity + 10))) == Int128(TransferWindow.capacity + 10) * Fixed.unit)
        // Entries older than the horizon are dropped.
        window.prune(at: t(1_000_000))
        #expect(window.entries.isEmpty)
    }

    // MARK: Every rejection reason once, each changing nothing

    @Test func everyRejectionChangesNothing() throws {
        func rejected(_ reason: RejectReason, _ setup: (inout BridgePair) -> Void, amount: String = "100", file: String = #fileID, line: Int = #line) throws {
            var pair = BridgePair()
            pair.source.price("X", "100", at: 0)
            _ = try pair.source.fill("alice", "X", "10", "100", at: 0)  // IM 50: something to protect
            setup(&pair)
            let hash = pair.source.stateHash
            let outcome = try pair.debit(amount, at: 5)
            #expect(outcome.decision.reason == reason, "\(reason)")
            #expect(outcome.transfer == nil)
            #expect(pair.source.stateHash == hash, "\(reason) changed the source")
            #expect(pair.source.pendingTransfers.isEmpty)
        }
        try rejected(.segmentHalted) { $0.source.setModeOverride(.halted, arrival: t(1)) }
        try rejected(.segmentHalted) { $0.destination.setModeOverride(.halted, arrival: t(1)) }
        // segment_halted is checked before bridge_closed.
        try rejected(.segmentHalted) { $0.destination.setModeOverride(.halted, arrival: t(1)); $0.bridge.enabled = false }
        try rejected(.bridgeClosed) { $0.destination.setModeOverride(.isolated, arrival: t(1)) }
        try rejected(.bridgeClosed) { $0.source.setModeOverride(.reduceOnly, arrival: t(1)) }
        try rejected(.bridgeClosed) { $0.bridge.enabled = false }
        try rejected(.bridgeLimit, { _ in }, amount: "601")
        try rejected(.bridgeLimit, { $0.bridge.maxTransfer = a("10000") }, amount: "1000.00000001")
        // Balance would go below 0 (no limits in the way).
        try rejected(.insufficientMargin, { $0.bridge.maxTransfer = a("10000"); $0.bridge.windowLimit = a("10000") }, amount: "5000.00000001")
        // E < IM afterwards: 5000 − 4950.00000001 < 50.
        try rejected(.insufficientMargin, { $0.bridge.maxTransfer = a("10000"); $0.bridge.windowLimit = a("10000") }, amount: "4950.00000001")
        // An unknown account has nothing to send.
        var pair = BridgePair()
        #expect(try pair.debit("1", account: "bob").decision.reason == .insufficientMargin)
    }

    @Test func invalidDebitsThrow() throws {
        var pair = BridgePair()
        #expect(throws: EngineError.self) { try pair.debit("0") }
        #expect(throws: EngineError.self) { try pair.debit("1", account: "bad id") }
        pair.bridge.from = "alts"
        #expect(throws: EngineError.self) { try pair.debit("1") }
        pair.bridge = makeBridge(asset: "BTC")
        #expect(throws: EngineError.collateralNotPermitted("BTC")) { try pair.debit("1") }
        pair.bridge = makeBridge()
        let first = try pair.debit("1")
        pair.nextId = first.transfer!.id
        #expect(throws: EngineError.self) { try pair.debit("1") }  // the same id again
    }

    @Test func otherCollateralCrossesToo() throws {
        var pair = BridgePair()
        pair.source.price("ETH-USD", "2000", at: 0)
        _ = try pair.source.deposit("alice", "3", asset: "ETH", at: 0)
        pair.bridge = makeBridge(asset: "ETH")
        #expect(try pair.transfer("2", at: 1) == .completed)
        #expect(pair.source.balance("alice", "ETH") == a("1"))
        #expect(pair.destination.balance("alice", "ETH") == a("2"))
    }
}

