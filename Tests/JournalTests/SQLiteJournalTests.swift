import Testing
@testable import Journal

/// What only the SQLite store has: its file, its schema version, its WAL.
@Suite struct SQLiteJournalTests {
    @Test func schemaVersionIsRecordedAndNewerSchemaIsRefused() throws {
        let fixture = try JournalFixture()
        try fixture.open().close()
        let connection = try SQLiteConnection(path: fixture.path)
        #expect(try connection.scalar("PRAGMA user_version") == JournalSchema.currentVersion)
        #expect(try connection.text("PRAGMA journal_mode") == "wal")
        #expect(try connection.scalar("PRAGMA page_count") > 0)
        try connection.execute("PRAGMA user_version = 99")
        connection.close()
        #expect(throws: JournalError.self) { try fixture.open() }
    }
}
