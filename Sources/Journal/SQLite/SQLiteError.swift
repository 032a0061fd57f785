import CSQLite

/// A failed SQLite call: the primary and extended result codes and the connection's message.
struct SQLiteError: Error, Sendable, CustomStringConvertible {
    var code: Int32
    var message: String

    var primaryCode: Int32 { code & 0xFF }

    /// Codes that mean the storage itself misbehaved (disk full, I/O, corruption): after one of
    /// these the journal cannot tell what reached the disk, so it fails closed.
    var isStorageFailure: Bool {
        switch primaryCode {
        case SQLITE_IOERR, SQLITE_FULL, SQLITE_CORRUPT, SQLITE_CANTOPEN, SQLITE_NOTADB,
             SQLITE_READONLY, SQLITE_PROTOCOL, SQLITE_NOMEM, SQLITE_NOLFS, SQLITE_PERM:
            return true
        default:
            return false
        }
    }

    var isConstraint: Bool { primaryCode == SQLITE_CONSTRAINT }

    var description: String { "SQLite error \(code): \(message)" }
}
