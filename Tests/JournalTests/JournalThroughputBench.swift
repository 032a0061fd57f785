import Foundation
import Testing
@testable import Journal

/// Durable appends per second, SQLite vs PostgreSQL, with 64 concurrent writers each
/// awaiting its commit before the next append (as 64 connections posting positions would).
/// A measurement, not a check: off unless `BULKHEAD_JOURNAL_BENCH=1`; prints one line per
/// store. Run: `BULKHEAD_JOURNAL_BENCH=1 swift test --filter JournalThroughputBench`.
@Suite(.serialized, .enabled(if: ProcessInfo.processInfo.environment["BULKHEAD_JOURNAL_BENCH"] == "1", "set BULKHEAD_JOURNAL_BENCH=1 to measure"))
struct JournalThroughputBench {
    static let writers = 64
    static let appendsPerWriter = 300

    @Test(arguments: StoreKind.available) func durableAppendsPerSecond(_ store: StoreKind) async throws {
        let fixture = try StoreFixture(store)
        let segments = (0..<Self.writers).map { "bench-\($0)" }
        let journal = try fixture.open(owning: segments)
        defer { journal.close() }
        let payload = [UInt8](repeating: 7, count: 120)
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for segment in segments {
                group.addTask {
                    for sequence in 1...UInt64(Self.appendsPerWriter) {
                        try await journal.submit([entry(segment, sequence, payload: payload)], idempotency: nil).durable()
                    }
                }
            }
            try await group.waitForAll()
        }
        let elapsed = clock.now - started
        let total = Self.writers * Self.appendsPerWriter
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let metrics = journal.metrics
        print("bench \(store): \(total) durable appends in \(String(format: "%.2f", seconds)) s = \(Int(Double(total) / seconds))/s, mean batch \(String(format: "%.1f", metrics.meanBatchSize)), mean commit \(metrics.meanCommitNanoseconds / 1_000) µs")
        #expect(metrics.entriesCommitted == UInt64(total))
        #expect(try journal.allEntries("bench-0").count == Self.appendsPerWriter)
    }
}
