import Testing
@testable import Journal

/// The event log beside the journal (API.md "Events"), run against both stores: events go in
/// with the entry that caused them (and not at all with a refused one), read back by range
/// for `Last-Event-ID` resumes, and are pruned to the newest `keepLast`.
@Suite struct EventLogStoreTests {
    private func withEvents(_ segment: String, _ sequence: UInt64, _ count: UInt32) -> JournalEntry {
        var written = entry(segment, sequence)
        written.events = (0..<count).map { index in
            StoredEvent(position: EventPosition(sequence: sequence, index: index), type: "liquidation", data: Array("\(sequence).\(index)".utf8))
        }
        return written
    }

    @Test(arguments: StoreKind.available) func eventsAreWrittenWithTheirEntryReadByRangeAndPruned(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["e"])
        #expect(try journal.eventBounds(segment: "e") == nil)
        try await journal.submit([withEvents("e", 1, 2), withEvents("e", 2, 0), withEvents("e", 3, 3)], idempotency: nil).durable()

        let all = try journal.events(segment: "e", after: .start, through: EventPosition(sequence: .max >> 1, index: .max), limit: 100)
        #expect(all.map(\.position.description) == ["1.0", "1.1", "3.0", "3.1", "3.2"])
        #expect(all.first?.type == "liquidation" && all.first?.data == Array("1.0".utf8))
        let bounds = try #require(try journal.eventBounds(segment: "e"))
        #expect(bounds.oldest.description == "1.0" && bounds.newest.description == "3.2")
        let resumed = try journal.events(segment: "e", after: EventPosition(sequence: 1, index: 1), through: bounds.newest, limit: 2)
        #expect(resumed.map(\.position.description) == ["3.0", "3.1"])

        // A refused submit (duplicate sequence) leaves none of its events.
        let refused = journal.submit([withEvents("e", 3, 1)], idempotency: nil)
        #expect(await failure(of: refused)?.reason == .conflict)
        #expect(try journal.events(segment: "e", after: .start, through: bounds.newest, limit: 100).count == 5)

        try await journal.pruneEvents(segment: "e", keepLast: 2)
        let kept = try journal.events(segment: "e", after: .start, through: bounds.newest, limit: 100)
        #expect(kept.map(\.position.description) == ["3.1", "3.2"])
        #expect(try journal.eventBounds(segment: "e")?.oldest.description == "3.1")
    }
}
