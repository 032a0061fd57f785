/// A failed libpq call: the server's SQLSTATE when there is one, and its message.
struct PostgresError: Error, Sendable, CustomStringConvertible {
    var sqlState: String?
    var message: String
    /// The connection itself is gone (refused, reset, server shut down): nothing after the
    /// last acknowledged commit can be assumed; the caller reconnects.
    var isConnectionFailure: Bool

    init(sqlState: String? = nil, message: String, isConnectionFailure: Bool = false) {
        self.sqlState = sqlState
        self.message = message
        self.isConnectionFailure = isConnectionFailure
            // 08: connection exception; 57P: operator intervention (shutdown, crash); 53: out of
            // disk or memory on the server.
            || sqlState.map { $0.hasPrefix("08") || $0.hasPrefix("57P") || $0.hasPrefix("53") } ?? false
    }

    var isUniqueViolation: Bool { sqlState == "23505" }

    var description: String { "PostgreSQL error \(sqlState ?? "-----"): \(message)" }

    /// The journal's view: a lost server or a full disk is a storage failure (fail closed,
    /// 503 `journal_unavailable`); a uniqueness violation a conflict; the rest is ours.
    var journalError: JournalError {
        if isConnectionFailure { return JournalError(.storage, message: message) }
        if isUniqueViolation { return JournalError(.conflict, message: message) }
        return JournalError(.other, message: message)
    }
}
