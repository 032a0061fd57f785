@testable import RiskEngine

/// majors → alts in USDC: window 1000 per hour, at most 600 per transfer, ×0.25 when elevated.
func makeBridge(
    from: String = "majors", to: String = "alts", asset: String = "USDC", windowSeconds: Int64 = 3600,
    windowLimit: String = "1000", maxTransfer: String = "600", elevatedFactor: String = "0.25", enabled: Bool = true
) -> BridgeSpec {
    BridgeSpec(
        from: from, to: to, asset: asset, windowSeconds: windowSeconds, windowLimit: a(windowLimit),
        maxTransfer: a(maxTransfer), elevatedFactor: a(elevatedFactor), enabled: enabled)
}

/// Two segments with a funded `alice` in the source.
struct BridgePair {
    var source = makeSegment(makeSpec(id: "majors"))
    var destination = makeSegment(makeSpec(id: "alts"))
    var bridge = makeBridge()
    var nextId: UInt64 = 1

    init(balance: String = "5000") {
        _ = try! source.deposit("alice", balance)
    }

    mutating func debit(_ amount: String, at seconds: Int64 = 1, account: String = "alice") throws -> TransferDebitOutcome {
        defer { nextId += 1 }
        return try source.apply(TransferDebit(
            id: nextId, account: account, amount: a(amount), bridge: bridge, destinationMode: destination.currentMode,
            arrival: t(seconds)))
    }

    /// Debit, credit and complete: the whole live path.
    mutating func transfer(_ amount: String, at seconds: Int64 = 1) throws -> TransferState? {
        let outcome = try debit(amount, at: seconds)
        guard let record = outcome.transfer else { return nil }
        let credited = destination.apply(TransferCredit(for: record, arrival: t(seconds))).isApplied
        return try source.apply(TransferSettlement(id: record.id, outcome: credited ? .completed : .refunded, arrival: t(seconds)))?.state
    }
}

extension Segment {
    /// Σ of one asset over every account (including `@insurance`), raw.
    func total(_ asset: String = "USDC") -> Int128 {
        let slot = try! assetSlot(asset)
        return accounts.reduce(0) { sum, account in sum + (slot.map { account.other($0) } ?? account.settlement) }
    }

    /// Pending outgoing transfers of an asset not yet credited at `destination`: in transit.
    func inTransit(_ asset: String = "USDC", creditedAt destination: Segment) -> Int128 {
        pendingTransfers.filter { $0.asset == asset && !destination.hasCredited(transfer: $0.id) }.reduce(0) { $0 + $1.amount.raw }
    }

    func balance(_ account: String, _ asset: String = "USDC") -> Amount {
        marginSummary(account: account)?.balances.first { $0.asset == asset }?.balance ?? .zero
    }
}
