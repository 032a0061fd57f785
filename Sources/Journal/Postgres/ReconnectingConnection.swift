import Synchronization

/// One connection shared under a lock by a component that calls the database now and then
/// (leases, the outbox): a call that finds the connection lost drops it (and may retry once
/// on a new one); a call that cannot connect fails, and the component's retry is its own
/// next round.
final class ReconnectingConnection: Sendable {
    private let url: String
    private let connectTimeoutSeconds: Int
    private let connection: Mutex<PostgresConnection?>
    private let retriesLostConnection: Bool

    /// `retriesLostConnection`: retry once when a reused connection turns out lost. The
    /// leases do not: a lost connection there fails the round, which is what marks the
    /// instance degraded and makes it reopen (and rebuild from) its journal.
    init(url: String, connectTimeoutSeconds: Int, connected: sending PostgresConnection? = nil, retriesLostConnection: Bool = false) {
        self.retriesLostConnection = retriesLostConnection
        self.url = url
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.connection = Mutex(connected)
    }

    func run<T: Sendable>(_ body: (PostgresConnection) throws(PostgresError) -> T) throws(JournalError) -> T {
        let (url, timeout, retries) = (url, connectTimeoutSeconds, retriesLostConnection)
        let result: Result<T, JournalError> = connection.withLock { connection in
            // A connection idle since the server dropped it only finds out now: one retry on
            // a fresh connection (every caller's statements may run twice harmlessly).
            for attempt in 0..<2 {
                let reused = connection != nil && connection?.isOpen == true
                do throws(PostgresError) {
                    if !reused {
                        connection?.close()
                        connection = try PostgresConnection(url: url, connectTimeoutSeconds: timeout)
                    }
                    return .success(try body(connection!))
                } catch {
                    if error.isConnectionFailure {
                        connection?.close()
                        connection = nil
                        if retries, reused, attempt == 0 { continue }
                    }
                    return .failure(error.journalError)
                }
            }
            return .failure(JournalError(.storage, message: "PostgreSQL unreachable"))
        }
        return try result.get()
    }

    func close() {
        connection.withLock { connection in
            connection?.close()
            connection = nil
        }
    }
}
