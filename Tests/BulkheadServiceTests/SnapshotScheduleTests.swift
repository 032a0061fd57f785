@testable import BulkheadService
import Journal
import RiskEngine
import Testing

/// Snapshots are serialized off the segment's actor, each from a copy of the segment: at most
/// one may be in flight per segment, or a segment journaling faster than it snapshots would
/// pile up copies of its whole state.
@Suite struct SnapshotScheduleTests {
    @Test func aSegmentHasAtMostOneSnapshotInFlight() async throws {
        let journal = ScriptedJournal()
        journal.set(.hold)  // every commit (and so every snapshot, which waits for its entry) holds
        let specs = try SegmentCatalog.load(path: TestService.repoRoot + "/Config/segments.json")
        let spec = try #require(specs.first { $0.id == "majors" })
        let engine = SegmentEngine(
            segment: try Segment(spec: spec), lastSequence: 0, journal: journal, clock: WallClock(),
            state: ServiceState(), maxInFlight: 1_000,
            snapshots: SnapshotSchedule(
                policy: SnapshotPolicy(everyEntries: 1, everySeconds: 0),
                writer: SnapshotWriter(journal: journal, prunesJournal: false)))
        var tick = 0
        func postPrice() async throws {
            tick += 1
            let stamp = Timestamp(nanoseconds: 1_800_000_000_000_000_000 + Int64(tick) * 1_000_000)
            let json = #"{"prices":[{"market":"BTC-USD","price":"64000","timestamp":"\#(stamp.rfc3339)","source":"test"}]}"#
            _ = try await engine.execute(.prices(PriceRequest(json: JSONReader.parse(Array(json.utf8)))), idempotency: nil)
        }
        // Entry 1 starts a snapshot; entries 2–5 are due too but find it still in flight.
        for _ in 0..<5 { try await postPrice() }
        journal.set(.normal)
        journal.release()
        // The first snapshot saves and frees the slot; the next due entry takes it.
        var attempts = 0
        while journal.savedSnapshots.withLock({ $0.count }) < 2, attempts < 100_000 {
            try await postPrice()
            attempts += 1
            await Task.yield()
        }
        // A third may have saved already (the slot frees off the actor while the loop posts);
        // what matters is which entries started one.
        let saved = journal.savedSnapshots.withLock { $0 }
        #expect(saved.count >= 2)
        #expect(saved == saved.sorted())
        #expect(saved.first == 1)
        #expect(saved.dropFirst().allSatisfy { $0 > 5 }, "snapshots \(saved): none of entries 2–5 may have started one")
    }
}
