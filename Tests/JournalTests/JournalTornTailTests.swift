import Foundation
import Testing
@testable import Journal

/// A crash can leave the last transaction's WAL frames partly written. Whatever the cut,
/// SQLite must recover exactly the transactions committed before it: never a partial one.
@Suite struct JournalTornTailTests {
    @Test func truncatingTheLastTransactionAtEveryOffsetKeepsThePreviousOnes() async throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        let wal = fixture.path + "-wal"
        let transactions = 5
        var walSizes: [Int] = []
        for sequence in 1...transactions {
            // A payload that spans more than one page, so the last transaction has several frames.
            let payload = [UInt8](repeating: UInt8(sequence), count: sequence == transactions ? 6_000 : 100)
            try await journal.submit([entry("torn", UInt64(sequence), payload: payload)], idempotency: idempotency("k\(sequence)")).durable()
            walSizes.append(try fileSize(wal))
        }
        // Copy the files as a crash would leave them: the writer is still open, nothing checkpointed.
        let database = try Data(contentsOf: URL(fileURLWithPath: fixture.path))
        let walBytes = try Data(contentsOf: URL(fileURLWithPath: wal))
        journal.close()
        let lastStart = walSizes[transactions - 2]
        let lastEnd = walSizes[transactions - 1]
        #expect(lastEnd - lastStart > 2 * 4_096)
        #expect(walBytes.count == lastEnd)

        let crash = try JournalFixture(preferMemory: true)
        // Every offset in each frame header and around each frame end, a stride inside pages:
        // the outcome can only change where a frame (and so the commit frame) is complete.
        // (A run with every single offset passed too; it takes minutes, so it is not the default.)
        let pageSize = walBytes[8..<12].reduce(0) { $0 << 8 | Int($1) }
        let frameSize = 24 + pageSize
        var cuts = Set<Int>()
        var frameStart = lastStart
        while frameStart < lastEnd {
            for offset in frameStart..<(frameStart + 24) { cuts.insert(offset) }
            for offset in (frameStart + frameSize - 8)..<(frameStart + frameSize) { cuts.insert(offset) }
            for offset in stride(from: frameStart + 24, to: frameStart + frameSize, by: 97) { cuts.insert(offset) }
            frameStart += frameSize
        }
        cuts = cuts.filter { $0 < lastEnd }
        if ProcessInfo.processInfo.environment["JOURNAL_TORN_TAIL_EVERY_OFFSET"] != nil {
            cuts = Set(lastStart..<lastEnd)
        }
        for cut in cuts.sorted() {
            try database.write(to: URL(fileURLWithPath: crash.path))
            try walBytes.prefix(cut).write(to: URL(fileURLWithPath: crash.path + "-wal"))
            try? FileManager.default.removeItem(atPath: crash.path + "-shm")
            let recovered = try crash.open()
            let sequences = try recovered.allEntries("torn").map(\.sequence)
            let lastKey = try recovered.idempotencyRecord(key: "k\(transactions)")
            recovered.close()
            if sequences != Array(1...UInt64(transactions - 1)) || lastKey != nil {
                Issue.record("cut at WAL offset \(cut): recovered \(sequences), last key present: \(lastKey != nil)")
                return
            }
        }
        // The untouched WAL recovers everything.
        try database.write(to: URL(fileURLWithPath: crash.path))
        try walBytes.write(to: URL(fileURLWithPath: crash.path + "-wal"))
        try? FileManager.default.removeItem(atPath: crash.path + "-shm")
        let recovered = try crash.open()
        #expect(try recovered.allEntries("torn").map(\.sequence) == Array(1...UInt64(transactions)))
    }

    private func fileSize(_ path: String) throws -> Int {
        (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
