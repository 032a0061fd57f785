import Testing
import RiskEngine
@testable import Journal

@Suite struct BridgeJournalTests {
    private func bridge(_ from: String, _ to: String, limit: Amount = 1_000) -> BridgeSpec {
        BridgeSpec(from: from, to: to, asset: "USDC", windowSeconds: 3600, windowLimit: limit, maxTransfer: 500, elevatedFactor: Amount("0.25")!)
    }

    private func recovery(_ journal: SQLiteJournal) -> JournalRecovery {
        JournalRecovery(replay: SegmentReplay(journal: journal) { bytes in spec(String(decoding: bytes, as: UTF8.self)) })
    }

    /// Journaled PUT/DELETE win over the config file, in order, and the reserved stream is
    /// never mistaken for a segment.
    @Test func bridgeChangesReplayOverTheConfig() async throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        let stream = JournalStream.bridges
        let changes: [(UInt8, [UInt8])] = [
            (JournalKind.bridgePut, bridge("majors", "alts", limit: 7).encoded()),
            (JournalKind.bridgePut, bridge("alts", "stable").encoded()),
            (JournalKind.bridgeRemoved, bridge("majors", "stable").key.encoded()),
        ]
        for (i, (kind, payload)) in changes.enumerated() {
            try await journal.submit([JournalEntry(segment: stream, sequence: UInt64(i + 1), arrival: 0, kind: kind, payload: payload)], idempotency: nil).durable()
        }
        let restored = try BridgeReplay(journal: journal).restore(configured: [bridge("majors", "alts"), bridge("majors", "stable")])
        #expect(restored.lastSequence == 3)
        #expect(restored.book.all.map(\.key) == [bridge("alts", "stable").key, bridge("majors", "alts").key])
        #expect(restored.book.bridge(bridge("majors", "alts").key)?.windowLimit == 7)
        let (segments, _) = try recovery(journal).recoverAll(configured: [spec("majors")])
        #expect(segments.map(\.segment.spec.id) == ["majors"])
    }

    @Test func anUnknownBridgeEntryFailsLoudly() async throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        try await journal.submit([JournalEntry(segment: JournalStream.bridges, sequence: 1, arrival: 0, kind: 99, payload: [])], idempotency: nil).durable()
        #expect(throws: SegmentReplayError.self) { try BridgeReplay(journal: journal).restore(configured: []) }
    }

    /// A crash left three transfers pending: one already credited (completes without a second
    /// credit), one not yet credited (credited now, once), one to a halted destination
    /// (refunded). After recovery nothing is pending, the totals are conserved, and a second
    /// recovery over the journal finds nothing to do.
    @Test func recoveryFinishesEveryPendingTransfer() async throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        var sequences: [String: UInt64] = [:]
        var live: [String: Segment] = [:]
        func journaled(_ id: String, _ command: EngineCommand) async throws {
            _ = try live[id]!.apply(command)
            sequences[id, default: 0] += 1
            try await journal.submit([JournalEntry(segment: id, sequence: sequences[id]!, arrival: 0, kind: JournalKind.engineCommand, payload: command.encoded())], idempotency: nil).durable()
        }
        for id in ["alts", "majors", "stable"] { live[id] = try Segment(spec: spec(id)) }
        let at = Timestamp(seconds: 1_800_000_000)
        try await journaled("majors", .collateral(CollateralCommand(account: "alice", asset: "USDC", amount: 1_000, arrival: at)))
        func debit(_ id: UInt64, to: String) -> TransferDebit {
            TransferDebit(id: id, account: "alice", amount: 100, bridge: bridge("majors", to), destinationMode: .normal, arrival: at)
        }
        try await journaled("majors", .transferDebit(debit(1, to: "alts")))
        try await journaled("majors", .transferDebit(debit(2, to: "alts")))
        try await journaled("majors", .transferDebit(debit(3, to: "stable")))
        try await journaled("alts", .transferCredit(TransferCredit(id: 1, account: "alice", from: "majors", asset: "USDC", amount: 100, arrival: at)))
        try await journaled("stable", .setModeOverride(.halted, arrival: at))

        var (segments, _) = try recovery(journal).recoverAll(configured: [spec("alts"), spec("majors"), spec("stable")])
        #expect(segments.flatMap(\.segment.pendingTransfers).map(\.id) == [1, 2, 3])
        let report = try await TransferRecovery(journal: journal).finish(&segments, at: at.adding(seconds: 10))
        #expect(report.completed.map(\.id) == [1, 2])
        #expect(report.refunded.map(\.id) == [3])
        #expect(segments.allSatisfy { $0.segment.pendingTransfers.isEmpty })
        let balances = segments.map { $0.segment.marginSummary(account: "alice")?.balances.first?.balance ?? 0 }
        #expect(balances == [200, 800, 0])  // alts, majors, stable

        // The settlements are journaled: a fresh recovery has nothing left to do and agrees.
        var again = try recovery(journal).recoverAll(configured: [spec("alts"), spec("majors"), spec("stable")]).segments
        #expect(again.map(\.segment.stateHash) == segments.map(\.segment.stateHash))
        #expect(try await TransferRecovery(journal: journal).finish(&again, at: at.adding(seconds: 20)).count == 0)
    }
}
