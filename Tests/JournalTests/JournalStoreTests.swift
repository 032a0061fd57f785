import Testing
@testable import Journal

/// The journal contract, run against both stores (SQLite file, PostgreSQL database).
@Suite struct JournalStoreTests {
    @Test(arguments: StoreKind.available) func entriesRoundTripAcrossReopen(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let written = [entry("majors", 1), entry("majors", 2, kind: 2, payload: []), entry("alts", 1, payload: [0, 255, 7])]
        do {
            let journal = try fixture.open(owning: ["majors", "alts"])
            try await journal.submit(written, idempotency: nil).durable()
            #expect(try journal.allEntries("majors") == Array(written[0...1]))
            journal.close()
        }
        let reopened = try fixture.open(owning: ["majors", "alts"])
        #expect(try reopened.allEntries("majors") == Array(written[0...1]))
        #expect(try reopened.allEntries("alts") == [written[2]])
        #expect(try reopened.entries(segment: "majors", after: 1, limit: 10) == [written[1]])
        #expect(try reopened.entries(segment: "majors", after: 0, limit: 1) == [written[0]])
        #expect(try reopened.segmentIDs() == ["alts", "majors"])
        #expect(reopened.health == .ok)
    }

    @Test(arguments: StoreKind.available) func aDuplicateSequenceFailsOnlyItsOwnSubmitAndCallOrderWins(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["s"])
        let first = journal.submit([entry("s", 1, payload: [1])], idempotency: nil)
        let second = journal.submit([entry("s", 1, payload: [2])], idempotency: nil)
        let third = journal.submit([entry("s", 2)], idempotency: nil)
        try await first.durable()
        #expect(await failure(of: second)?.reason == .conflict)
        try await third.durable()
        #expect(try journal.allEntries("s").map(\.payload) == [[1], Array("s#2".utf8)])
        #expect(journal.health == .ok)
    }

    /// In one batch: a submit refused halfway takes back the entry it had inserted, so a later
    /// submit of that same sequence succeeds, exactly as if each had committed alone.
    @Test(arguments: StoreKind.available) func aSubmitRefusedHalfwayInABatchLeavesNoTrace(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["h"])
        try await journal.submit([entry("h", 1), entry("h", 2)], idempotency: nil).durable()
        let lock = try fixture.holdWriteLock()
        let blocker = journal.submit([entry("h", 3)], idempotency: nil)
        let refused = journal.submit([entry("h", 4, payload: [1]), entry("h", 2)], idempotency: idempotency("half"))
        let later = journal.submit([entry("h", 4, payload: [2])], idempotency: idempotency("half"))
        try lock.release()
        try await blocker.durable()
        #expect(await failure(of: refused)?.reason == .conflict)
        try await later.durable()
        #expect(try journal.allEntries("h").map(\.payload).last == [2])
        #expect(try journal.idempotencyRecord(key: "half") == idempotency("half"))
    }

    @Test(arguments: StoreKind.available) func concurrentSubmittersKeepTheirOrder(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let segments = (0..<8).map { "segment-\($0)" }
        let journal = try fixture.open(owning: segments)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for segment in segments {
                group.addTask {
                    let sequencer = Sequencer(journal: journal, segment: segment)
                    var tickets: [any CommitTicket] = []
                    for _ in 0..<100 { tickets.append(await sequencer.next()) }
                    for ticket in tickets { try await ticket.durable() }
                }
            }
            try await group.waitForAll()
        }
        for segment in segments {
            #expect(try journal.allEntries(segment).map(\.sequence) == Array(1...100))
        }
    }

    @Test(arguments: StoreKind.available) func concurrentSubmitsAreGroupedIntoFewTransactions(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["g"])
        let lock = try fixture.holdWriteLock()
        let tickets = (1...500).map { journal.submit([entry("g", UInt64($0))], idempotency: nil) }
        try lock.release()
        for ticket in tickets { try await ticket.durable() }
        let metrics = journal.metrics
        // At most the batch the writer took before blocking, then everything else at once.
        #expect(metrics.batchesCommitted <= 2)
        #expect(metrics.operationsCommitted == 500)
        #expect(metrics.entriesCommitted == 500)
        #expect(metrics.meanBatchSize >= 250)
        #expect(metrics.lastCommitNanoseconds > 0)
        #expect(try journal.allEntries("g").count == 500)
    }

    @Test(arguments: StoreKind.available) func aFullQueueRefusesAtOnceWithARetryableError(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["q"], maxPendingEntries: 10)
        let lock = try fixture.holdWriteLock()
        let tickets = (1...30).map { journal.submit([entry("q", UInt64($0))], idempotency: nil) }
        try lock.release()
        var accepted: [UInt64] = []
        var overloaded = 0
        for (index, ticket) in tickets.enumerated() {
            if let error = await failure(of: ticket) {
                #expect(error.reason == .overloaded)
                #expect(!error.isStorageFailure)
                overloaded += 1
            } else {
                accepted.append(UInt64(index + 1))
            }
        }
        #expect(overloaded >= 10)
        #expect(journal.metrics.rejectedOverloaded == UInt64(overloaded))
        #expect(try journal.allEntries("q").map(\.sequence) == accepted)
        #expect(journal.health == .ok)
    }

    @Test(arguments: StoreKind.available) func idempotencyRecordIsWrittenWithItsEntries(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["i"])
        try await journal.submit([entry("i", 1)], idempotency: idempotency("key-1", status: 201)).durable()
        #expect(try journal.idempotencyRecord(key: "key-1") == idempotency("key-1", status: 201))
        #expect(try journal.idempotencyRecord(key: "missing") == nil)

        // A reused key fails the whole submit: its entries are not written either.
        let reused = journal.submit([entry("i", 2)], idempotency: idempotency("key-1"))
        #expect(await failure(of: reused)?.reason == .conflict)
        #expect(try journal.allEntries("i").map(\.sequence) == [1])
    }

    @Test(arguments: StoreKind.available) func idempotencyRetentionDropsOldRecords(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["r"])
        var old = idempotency("old"); old.createdAt = 10
        var recent = idempotency("recent"); recent.createdAt = 20
        try await journal.submit([entry("r", 1)], idempotency: old).durable()
        try await journal.submit([entry("r", 2)], idempotency: recent).durable()
        try await journal.pruneIdempotency(before: 20)
        #expect(try journal.idempotencyRecord(key: "old") == nil)
        #expect(try journal.idempotencyRecord(key: "recent") == recent)
        #expect(try journal.allEntries("r").count == 2)
    }

    @Test(arguments: StoreKind.available) func idempotencyRetentionPrunesRecordsOlderThanTheWindow(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["w"])
        var old = idempotency("old"); old.createdAt = 1_000_000_000
        var fresh = idempotency("fresh"); fresh.createdAt = 5_000_000_000
        try await journal.submit([entry("w", 1)], idempotency: old).durable()
        try await journal.submit([entry("w", 2)], idempotency: fresh).durable()
        try await IdempotencyRetention(journal: journal, retentionSeconds: 3).prune(now: 6_000_000_000)
        #expect(try journal.idempotencyRecord(key: "old") == nil)
        #expect(try journal.idempotencyRecord(key: "fresh") == fresh)
    }

    @Test(arguments: StoreKind.available) func snapshotThenPruneKeepsOnlyTheTail(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["p", "only-snapshot"])
        try await journal.submit((1...10).map { entry("p", $0) }, idempotency: nil).durable()
        let first = SnapshotRecord(segment: "p", sequence: 5, stateHash: .max, bytes: [1, 2, 3])
        try await journal.saveSnapshot(first)
        try await journal.prune(segment: "p", through: 5)
        #expect(try journal.latestSnapshot(segment: "p") == first)
        #expect(try journal.allEntries("p").map(\.sequence) == Array(6...10))

        let second = SnapshotRecord(segment: "p", sequence: 8, stateHash: 42, bytes: [])
        try await journal.saveSnapshot(second)
        #expect(try journal.latestSnapshot(segment: "p") == second)
        #expect(try journal.latestSnapshot(segment: "other") == nil)

        try await journal.saveSnapshot(SnapshotRecord(segment: "only-snapshot", sequence: 3, stateHash: 1, bytes: [9]))
        #expect(try journal.segmentIDs() == ["only-snapshot", "p"])
    }

    @Test(arguments: StoreKind.available) func manyWaitersOnOneTicketAllResumeAndLateAwaitsReturnAtOnce(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["w"])
        let lock = try fixture.holdWriteLock()
        let ticket = journal.submit([entry("w", 1)], idempotency: nil)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { try await ticket.durable() } }
            try lock.release()
            try await group.waitForAll()
        }
        try await ticket.durable()
        #expect(try journal.allEntries("w").count == 1)
    }

    @Test(arguments: StoreKind.available) func closedJournalRefusesWrites(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["c"])
        journal.close()
        journal.close()
        await #expect(throws: JournalError.self) { try await journal.submit([entry("c", 1)], idempotency: nil).durable() }
        #expect(throws: JournalError.self) { try journal.segmentIDs() }
    }
}

/// Assigns sequences and submits in one step, as the segment actor does.
private actor Sequencer {
    let journal: any JournalStore
    let segment: String
    var last: UInt64 = 0

    init(journal: any JournalStore, segment: String) {
        self.journal = journal
        self.segment = segment
    }

    func next() -> any CommitTicket {
        last += 1
        return journal.submit([entry(segment, last)], idempotency: nil)
    }
}

@Suite struct JournalVisibilityTests {
    /// The read connection only ever sees whole submits: each submit holds 10 entries, so a
    /// concurrent reader must always count a multiple of 10.
    @Test(arguments: StoreKind.available) func readersNeverSeeAPartialSubmit(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let journal = try fixture.open(owning: ["v"])
        let writer = Task {
            for round in 0..<50 {
                let base = UInt64(round * 10)
                try await journal.submit((1...10).map { entry("v", base + $0) }, idempotency: nil).durable()
            }
        }
        var observations = 0
        while !writerFinished(journal) {
            let count = try journal.allEntries("v").count
            #expect(count % 10 == 0)
            observations += 1
            if observations > 100_000 { break }
        }
        try await writer.value
        #expect(try journal.allEntries("v").count == 500)
    }

    private func writerFinished(_ journal: any TestJournal) -> Bool {
        journal.metrics.entriesCommitted == 500
    }
}
