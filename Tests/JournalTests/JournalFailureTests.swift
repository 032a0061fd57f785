import Foundation
import Testing
@testable import Journal

@Suite struct JournalFailureTests {
    @Test func injectedFsyncFailureFailsTheBatchAndClosesTheJournal() async throws {
        let fixture = try JournalFixture()
        let faults = FaultInjector()
        do {
            let journal = try fixture.open { $0.faultInjector = faults }
            try await journal.submit([entry("f", 1)], idempotency: idempotency("before")).durable()

            let lock = try WriteLockHolder(path: fixture.path)
            faults.failNextCommit()
            let batch = (2...20).map { journal.submit([entry("f", UInt64($0))], idempotency: idempotency("k\($0)")) }
            try lock.release()
            for ticket in batch {
                let error = await failure(of: ticket)
                #expect(error?.isStorageFailure == true)
            }
            guard case .failed = journal.health else { Issue.record("health should be failed"); return }
            #expect(journal.metrics.batchesFailed == 1)

            // Fail fast: nothing is queued while failed, and snapshots are refused too.
            let later = journal.submit([entry("f", 2)], idempotency: nil)
            #expect(await failure(of: later)?.isStorageFailure == true)
            await #expect(throws: JournalError.self) {
                try await journal.saveSnapshot(SnapshotRecord(segment: "f", sequence: 1, stateHash: 0, bytes: []))
            }
            // Nothing of the failed batch is visible, even before a restart.
            #expect(try journal.allEntries("f").map(\.sequence) == [1])
            journal.close()
        }
        let reopened = try fixture.open()
        #expect(reopened.health == .ok)
        #expect(try reopened.allEntries("f").map(\.sequence) == [1])
        #expect(try reopened.idempotencyRecord(key: "before") != nil)
        #expect(try reopened.idempotencyRecord(key: "k2") == nil)
    }

    @Test func reopenClearsTheFailedState() async throws {
        let fixture = try JournalFixture()
        let faults = FaultInjector()
        let journal = try fixture.open { $0.faultInjector = faults }
        faults.failNextCommit()
        #expect(await failure(of: journal.submit([entry("r", 1)], idempotency: nil))?.isStorageFailure == true)
        #expect(journal.health != .ok)
        try await journal.reopen()
        #expect(journal.health == .ok)
        try await journal.submit([entry("r", 1)], idempotency: nil).durable()
        #expect(try journal.allEntries("r").map(\.sequence) == [1])
    }

    @Test func fullDatabaseFailsClosedAndKeepsCommittedData() async throws {
        let fixture = try JournalFixture()
        // max_page_count stands in for a full disk: SQLite answers SQLITE_FULL.
        let journal = try fixture.open { $0.maxPageCount = 40 }
        let payload = [UInt8](repeating: 7, count: 3_000)
        let (committed, storageFailure) = await fillUntilFailure(journal, segment: "d", payload: payload, atMost: 200)
        #expect(storageFailure?.isStorageFailure == true)
        #expect(!committed.isEmpty)
        #expect(journal.health != .ok)
        #expect(await failure(of: journal.submit([entry("other", 1)], idempotency: nil))?.isStorageFailure == true)
        journal.close()

        let reopened = try fixture.open()
        #expect(try reopened.allEntries("d").map(\.sequence) == committed)
        #expect(try reopened.allEntries("d").allSatisfy { $0.payload == payload })
    }

    /// A real full file system: a small tmpfs (needs root; skipped when mounting fails).
    @Test func fullFileSystemFailsClosedAndRecoversAfterSpaceIsFreed() async throws {
        let fixture = try JournalFixture()
        guard let mount = SmallFileSystem(at: fixture.directory, bytes: 1 << 20) else { return }
        defer { mount.unmount() }

        let journal = try fixture.open()
        let filler = fixture.directory.appendingPathComponent("filler")
        try mount.fill(filler, leaving: 96 * 1024)

        let payload = [UInt8](repeating: 3, count: 2_000)
        let (committed, storageFailure) = await fillUntilFailure(journal, segment: "t", payload: payload, atMost: 1_000)
        #expect(storageFailure?.isStorageFailure == true)
        #expect(!committed.isEmpty)
        #expect(journal.health != .ok)
        #expect(try journal.allEntries("t").map(\.sequence) == committed)

        // The operator frees space; reopen clears the failure and writing resumes.
        try FileManager.default.removeItem(at: filler)
        try await journal.reopen()
        #expect(journal.health == .ok)
        let next = (committed.last ?? 0) + 1
        try await journal.submit([entry("t", next, payload: payload)], idempotency: nil).durable()
        journal.close()

        let reopened = try fixture.open()
        #expect(try reopened.allEntries("t").map(\.sequence) == committed + [next])
        reopened.close()
    }
}

/// A tmpfs mounted over a test directory.
private struct SmallFileSystem {
    let directory: URL

    init?(at directory: URL, bytes: Int) {
        guard Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(bytes)", "tmpfs", directory.path]) else { return nil }
        self.directory = directory
    }

    /// Writes a file that leaves about `leaving` bytes free.
    func fill(_ file: URL, leaving: Int) throws {
        var stats = statvfs()
        guard statvfs(directory.path, &stats) == 0 else { return }
        let free = Int(stats.f_bavail) * Int(stats.f_frsize)
        try Data(count: max(0, free - leaving)).write(to: file)
    }

    func unmount() { _ = Self.run("/bin/umount", [directory.path]) }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        do { try process.run() } catch { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
