import Testing
@testable import RiskEngine

@Suite struct TransferSnapshotTests {
    /// Pending transfers, windows, credited ids and history survive a snapshot: a restart
    /// neither resets the window nor credits an id twice.
    @Test func ledgerSurvivesSnapshot() throws {
        var pair = BridgePair()
        #expect(try pair.transfer("600", at: 0) == .completed)
        let pending = try pair.debit("300", at: 1).transfer!
        #expect(pair.destination.apply(TransferCredit(for: pending, arrival: t(2))).isApplied)

        var source = try Segment(snapshot: pair.source.snapshot())
        var destination = try Segment(snapshot: pair.destination.snapshot())
        #expect(source.stateHash == pair.source.stateHash)
        #expect(source.snapshot() == pair.source.snapshot())
        #expect(source.pendingTransfers == [pending])
        #expect(source.transfer(1)?.state == .completed)
        #expect(source.lastTransferId == 2)
        #expect(source.bridgeUsage(pair.bridge, at: t(3)) == a("900"))
        pair.source = source
        #expect(try pair.debit("100.00000001", at: 3).decision.reason == .bridgeLimit)
        guard case .alreadyCredited = destination.apply(TransferCredit(for: pending, arrival: t(3))) else {
            Issue.record("credited twice after restore"); return
        }
        #expect(try source.apply(TransferSettlement(id: pending.id, outcome: .completed, arrival: t(3)))?.state == .completed)
    }

    @Test func transferCommandsRoundTrip() throws {
        let commands: [EngineCommand] = [
            .transferDebit(TransferDebit(id: 42, account: "alice", amount: a("1.5"), bridge: makeBridge(asset: "ETH"), destinationMode: .elevated, arrival: t(1))),
            .transferCredit(TransferCredit(id: 42, account: "alice", from: "majors", asset: "ETH", amount: a("1.5"), arrival: t(2))),
            .transferSettlement(TransferSettlement(id: 42, outcome: .completed, arrival: t(3))),
            .transferSettlement(TransferSettlement(id: 43, outcome: .refunded, arrival: t(3))),
        ]
        for command in commands {
            let bytes = command.encoded()
            #expect(bytes[1] >= 10 && bytes[1] <= 19)
            #expect(try EngineCommand(decoding: bytes) == command)
            #expect(throws: EngineError.self) { try EngineCommand(decoding: bytes + [0]) }
        }
    }

    @Test func transferIdsReadAndPrint() {
        #expect(TransferRecord.idText(17) == "tr-000000017")
        #expect(TransferRecord.idText(12_345_678_901) == "tr-12345678901")
        #expect(TransferRecord.id(parsing: "tr-000000017") == 17)
        #expect(TransferRecord.id(parsing: "tr-17") == nil)
        #expect(TransferRecord.id(parsing: "tr-00000001x") == nil)
        #expect(TransferRecord.id(parsing: "17") == nil)
    }
}
