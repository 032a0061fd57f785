import Testing
import RiskEngine
@testable import Journal

@Suite struct SegmentReplayTests {
    /// Journals what a segment actor would: creation, then commands applied to a live segment.
    private func journalHistory(_ journal: any JournalStore, deposits: Int) async throws -> Segment {
        var live = try Segment(spec: spec("majors"))
        try await journal.submit([JournalEntry(segment: "majors", sequence: 1, arrival: 0, kind: JournalKind.segmentCreated, payload: Array("majors".utf8))], idempotency: nil).durable()
        for index in 0..<deposits {
            let command = EngineCommand.collateral(CollateralCommand(
                account: "acct-\(index % 7)", asset: "USDC", amount: Amount(100 + index), arrival: Timestamp(seconds: 1_800_000_000 + Int64(index))))
            try live.apply(command)
            try await journal.submit([JournalEntry(segment: "majors", sequence: UInt64(index + 2), arrival: 0, kind: JournalKind.engineCommand, payload: command.encoded())], idempotency: nil).durable()
        }
        return live
    }

    private func recovery(_ journal: any JournalStore, pageSize: Int = 1_000) -> JournalRecovery {
        JournalRecovery(replay: SegmentReplay(journal: journal, pageSize: pageSize) { bytes in spec(String(decoding: bytes, as: UTF8.self)) })
    }

    @Test(arguments: StoreKind.available) func replayFromCreationMatchesTheLiveSegment(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["majors", "alts"])
        let live = try await journalHistory(journal, deposits: 25)
        let (segments, report) = try recovery(journal, pageSize: 4).recoverAll(configured: [spec("alts")])
        #expect(segments.map(\.segment.spec.id) == ["alts", "majors"])
        let majors = try #require(segments.last)
        #expect(majors.segment.stateHash == live.stateHash)
        #expect(majors.lastSequence == 26)
        #expect(majors.isJournaled && majors.snapshotSequence == nil)
        #expect(majors.segment.marginSummary(account: "acct-0") == live.marginSummary(account: "acct-0"))
        // A configured segment the journal does not know starts fresh and must be journaled.
        #expect(segments[0].lastSequence == 0 && !segments[0].isJournaled)
        #expect(report.segments == 2 && report.recordsReplayed == 26 && report.snapshotsRestored == 0)
    }

    @Test(arguments: StoreKind.available) func snapshotPlusTailMatchesTheLiveSegment(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["majors", "alts"])
        var live = try await journalHistory(journal, deposits: 10)
        try await SnapshotWriter(journal: journal).write(segment: "majors", sequence: 11, bytes: live.snapshot(), stateHash: live.stateHash)
        #expect(try journal.allEntries("majors").isEmpty)
        let command = EngineCommand.collateral(CollateralCommand(account: "late", asset: "USDC", amount: 5, arrival: Timestamp(seconds: 1_800_000_100)))
        try live.apply(command)
        try await journal.submit([JournalEntry(segment: "majors", sequence: 12, arrival: 0, kind: JournalKind.engineCommand, payload: command.encoded())], idempotency: nil).durable()

        let (segments, report) = try recovery(journal).recoverAll(configured: [])
        let majors = try #require(segments.first)
        #expect(majors.segment.stateHash == live.stateHash)
        #expect(majors.snapshotSequence == 11 && majors.lastSequence == 12 && majors.replayed == 1)
        #expect(report.snapshotsRestored == 1 && report.recordsReplayed == 1)

        // Replaying only up to the snapshot gives the state at that point.
        let early = try recovery(journal).replay.restore(segment: "majors", configured: nil, through: 11)
        #expect(early.lastSequence == 11)
    }

    @Test(arguments: StoreKind.available) func aSnapshotWhoseHashDiffersFailsLoudly(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["majors", "alts"])
        let live = try await journalHistory(journal, deposits: 3)
        try await journal.saveSnapshot(SnapshotRecord(segment: "majors", sequence: 4, stateHash: live.stateHash &+ 1, bytes: live.snapshot()))
        #expect(throws: SegmentReplayError.self) { try recovery(journal).recoverAll(configured: []) }
    }

    @Test(arguments: StoreKind.available) func aGapInSequencesFailsLoudly(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["majors", "alts"])
        _ = try await journalHistory(journal, deposits: 3)
        let stray = EngineCommand.collateral(CollateralCommand(account: "x", asset: "USDC", amount: 1, arrival: Timestamp(seconds: 1_800_000_000)))
        try await journal.submit([JournalEntry(segment: "majors", sequence: 9, arrival: 0, kind: JournalKind.engineCommand, payload: stray.encoded())], idempotency: nil).durable()
        #expect {
            try recovery(journal).recoverAll(configured: [])
        } throws: { error in
            (error as? SegmentReplayError)?.sequence == 9
        }
    }

    @Test(arguments: StoreKind.available) func unknownKindsAndOrphanSegmentsFailLoudly(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["majors", "alts"])
        _ = try await journalHistory(journal, deposits: 1)
        try await journal.submit([JournalEntry(segment: "majors", sequence: 3, arrival: 0, kind: JournalKind.paramsChanged, payload: [])], idempotency: nil).durable()
        #expect(throws: SegmentReplayError.self) { try recovery(journal).recoverAll(configured: []) }

        let other = try StoreFixture(store)
        let orphan = try other.open(owning: ["ghost"])
        let command = EngineCommand.collateral(CollateralCommand(account: "x", asset: "USDC", amount: 1, arrival: Timestamp(seconds: 1_800_000_000)))
        try await orphan.submit([JournalEntry(segment: "ghost", sequence: 1, arrival: 0, kind: JournalKind.engineCommand, payload: command.encoded())], idempotency: nil).durable()
        #expect(throws: SegmentReplayError.self) { try recovery(orphan).recoverAll(configured: []) }
    }

    @Test(arguments: StoreKind.available) func aHistoryWithoutCreationReplaysOnTheConfiguredSpec(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["majors", "alts"])
        var live = try Segment(spec: spec("alts"))
        let command = EngineCommand.collateral(CollateralCommand(account: "x", asset: "USDC", amount: 7, arrival: Timestamp(seconds: 1_800_000_000)))
        try live.apply(command)
        try await journal.submit([JournalEntry(segment: "alts", sequence: 1, arrival: 0, kind: JournalKind.engineCommand, payload: command.encoded())], idempotency: nil).durable()
        let (segments, _) = try recovery(journal).recoverAll(configured: [spec("alts")])
        #expect(segments.first?.segment.stateHash == live.stateHash)
        #expect(segments.first?.lastSequence == 1 && segments.first?.isJournaled == false)
    }

    @Test func snapshotPolicyTriggers() {
        let policy = SnapshotPolicy(everyEntries: 100, everySeconds: 60)
        #expect(!policy.isDue(entriesSinceSnapshot: 0, nanosecondsSinceSnapshot: 1_000_000_000_000))
        #expect(!policy.isDue(entriesSinceSnapshot: 99, nanosecondsSinceSnapshot: 59_999_999_999))
        #expect(policy.isDue(entriesSinceSnapshot: 100, nanosecondsSinceSnapshot: 0))
        #expect(policy.isDue(entriesSinceSnapshot: 1, nanosecondsSinceSnapshot: 60_000_000_000))
        #expect(!SnapshotPolicy.disabled.isDue(entriesSinceSnapshot: .max, nanosecondsSinceSnapshot: .max))
    }
}

/// A small valid segment (USDC settlement, one market).
func spec(_ id: String) -> SegmentSpec {
    SegmentSpec(
        id: id, settlementAsset: "USDC",
        collateral: [CollateralSpec(asset: "USDC", weight: 1)],
        markets: [MarketSpec(id: "BTC-USD", initialMarginFraction: Amount("0.05")!, maintenanceMarginFraction: Amount("0.03")!, maxOpenInterest: 1_000)],
        oracle: OracleSpec(maxAgeSeconds: 30, liquidationMaxAgeSeconds: 300, maxFutureSkewSeconds: 5, maxJump: Amount("0.25")!, minSources: 1),
        liquidation: LiquidationSpec(penalty: Amount("0.01")!, buffer: Amount("0.02")!, maxPortion: Amount("0.25")!, minNotional: 1_000),
        insuranceFund: 100_000,
        regimes: RegimeSpec(
            ewmaHalfLifeSeconds: 3600, hysteresis: Amount("0.2")!, cooldownSeconds: 300, mmRampSeconds: 600,
            elevated: RegimeThreshold(volatility: 1_000, initialMarginMultiplier: Amount("1.5")!, maintenanceMarginMultiplier: Amount("1.25")!),
            isolated: RegimeThreshold(volatility: 2_000, initialMarginMultiplier: 2, maintenanceMarginMultiplier: Amount("1.5")!),
            reduceOnly: RegimeThreshold(volatility: 4_000, initialMarginMultiplier: 2, maintenanceMarginMultiplier: Amount("1.5")!)))
}
