import Testing
@testable import Journal

/// The writer's group commits are filled by fair share across segments: the writer is held
/// by a `WriterGate` while work is queued, then released one batch at a time.
@Suite struct FairBatchTests {
    @Test func aQuietSegmentGetsIntoTheNextBatchWhateverAnothersBacklog() async throws {
        let fixture = try JournalFixture()
        let gate = WriterGate()
        let journal = try fixture.open {
            $0.writerGate = gate
            $0.maxBatchOperations = 8
        }
        let flood = (1...200).map { journal.submit([entry("A", UInt64($0))], idempotency: nil) }
        let quiet = journal.submit([entry("B", 1)], idempotency: nil)
        gate.allow(1)
        try await quiet.durable()
        // First batch: A and B take turns; without fair share B would wait for 25 batches.
        #expect(gate.batches.first == ["A", "B", "A", "A", "A", "A", "A", "A"])
        #expect(journal.metrics.batchesCommitted == 1)
        gate.open()
        for ticket in flood { try await ticket.durable() }
        #expect(try journal.allEntries("A").map(\.sequence) == Array(1...200))
        #expect(gate.batches.allSatisfy { $0.count <= 8 })
        #expect(gate.batches.count == 1 + (193 + 7) / 8)  // the rest of A, 8 at a time
        journal.close()
    }

    @Test func weightsShareEachBatchInProportion() async throws {
        let fixture = try JournalFixture()
        let gate = WriterGate()
        let journal = try fixture.open {
            $0.writerGate = gate
            $0.maxBatchOperations = 8
            $0.segmentWeights = ["A": 3]
        }
        var tickets: [any CommitTicket] = []
        for sequence in 1...40 {
            tickets.append(journal.submit([entry("A", UInt64(sequence))], idempotency: nil))
            tickets.append(journal.submit([entry("B", UInt64(sequence))], idempotency: nil))
        }
        gate.allow(2)
        try await tickets[4 * 2 - 1].durable()  // B #4 is in the second batch (2 of each 8)
        #expect(gate.batches.prefix(2).map { $0.joined() } == ["AAABAAAB", "AAABAAAB"])
        gate.open()
        for ticket in tickets { try await ticket.durable() }
        #expect(try journal.allEntries("A").count == 40)
        #expect(try journal.allEntries("B").map(\.sequence) == Array(1...40))
        journal.close()
    }

    @Test func aBatchOfOneOperationStillCommitsEverySegmentInTurn() async throws {
        let fixture = try JournalFixture()
        let gate = WriterGate()
        let journal = try fixture.open {
            $0.writerGate = gate
            $0.maxBatchOperations = 1
        }
        let a = (1...3).map { journal.submit([entry("A", UInt64($0))], idempotency: nil) }
        let b = journal.submit([entry("B", 1)], idempotency: nil)
        gate.allow(2)
        try await b.durable()
        #expect(gate.batches == [["A"], ["B"]])
        #expect(!a[1].isResolvedForTests)
        gate.open()
        for ticket in a { try await ticket.durable() }
        journal.close()
    }
}

extension CommitTicket {
    var isResolvedForTests: Bool { (self as? JournalTicket)?.isResolved ?? false }
}
