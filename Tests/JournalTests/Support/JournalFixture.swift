import Foundation
@testable import Journal

/// A journal in a fresh temporary directory, removed when the fixture goes away.
final class JournalFixture {
    let directory: URL
    var path: String { directory.appendingPathComponent("journal.sqlite").path }

    /// `preferMemory`: put it on /dev/shm when there is one, for tests that reopen thousands
    /// of times and do not test durability themselves.
    init(preferMemory: Bool = false) throws {
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        let base = preferMemory && FileManager.default.isWritableFile(atPath: shm.path)
            ? shm : FileManager.default.temporaryDirectory
        directory = base
            .appendingPathComponent("journal-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func open(_ configure: (inout SQLiteJournal.Configuration) -> Void = { _ in }) throws -> SQLiteJournal {
        var configuration = SQLiteJournal.Configuration(path: path)
        configure(&configuration)
        return try SQLiteJournal(configuration: configuration)
    }
}

func entry(_ segment: String, _ sequence: UInt64, kind: UInt8 = 1, payload: [UInt8]? = nil) -> JournalEntry {
    JournalEntry(
        segment: segment, sequence: sequence, arrival: Int64(sequence) * 1_000,
        kind: kind, payload: payload ?? Array("\(segment)#\(sequence)".utf8))
}

func idempotency(_ key: String, status: Int = 200) -> IdempotencyRecord {
    IdempotencyRecord(key: key, requestHash: Array(key.utf8), status: status, body: Array("{\"ok\":\"\(key)\"}".utf8), createdAt: 1_000)
}

/// Holds SQLite's write lock from a third connection, so the writer blocks in BEGIN
/// IMMEDIATE: submits made meanwhile pile up deterministically, without any sleep.
final class WriteLockHolder {
    private let connection: SQLiteConnection

    init(path: String) throws {
        connection = try SQLiteConnection(path: path)
        try connection.execute("PRAGMA busy_timeout=5000")
        try connection.execute("BEGIN IMMEDIATE")
    }

    func release() throws {
        try connection.execute("COMMIT")
        connection.close()
    }
}

/// The error a ticket resolves with, or nil when it became durable.
func failure(of ticket: any CommitTicket) async -> JournalError? {
    do throws(JournalError) {
        try await ticket.durable()
        return nil
    } catch {
        return error
    }
}

/// Submits one entry at a time until a commit fails (a full disk); returns the sequences that
/// committed and the failure.
func fillUntilFailure(
    _ journal: any JournalStore, segment: String, payload: [UInt8], atMost count: UInt64
) async -> (committed: [UInt64], failure: JournalError?) {
    var committed: [UInt64] = []
    for sequence in UInt64(1)...count {
        if let error = await failure(of: journal.submit([entry(segment, sequence, payload: payload)], idempotency: nil)) {
            return (committed, error)
        }
        committed.append(sequence)
    }
    return (committed, nil)
}
