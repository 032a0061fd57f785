import CPostgres
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// One libpq connection. Not thread-safe: each owner (the writer thread, the read lock, the
/// lease keeper) has its own. Statements are prepared once per connection, on first use.
final class PostgresConnection {
    private(set) var handle: OpaquePointer?
    private var prepared: Set<String> = []
    /// Parameterless commands (BEGIN, SAVEPOINT) waiting to go out with the next request.
    private var prelude: [String] = []

    /// `url`: a libpq connection string or URI (`postgres://user@host:port/db`).
    init(url: String, connectTimeoutSeconds: Int = 5) throws(PostgresError) {
        // connect_timeout bounds a start against an unreachable server; keepalives notice a
        // dead peer on an idle connection.
        // `dbname` comes last so that settings inside the URL override these defaults.
        // Server notices (e.g. "already exists, skipping" from the idempotent migration) are
        // not worth a line on stderr.
        let keys = ["connect_timeout", "keepalives_idle", "application_name", "options", "dbname"]
        let values = [String(max(1, connectTimeoutSeconds)), "10", "bulkhead", "-c client_min_messages=warning", url]
        let connection = Self.withCStrings(keys) { keyPointers in
            Self.withCStrings(values) { valuePointers in
                // expand_dbname = 1: the URL in `dbname` is parsed as a full connection string.
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let connection, PQstatus(connection) == CONNECTION_OK else {
            let message = connection.map { Self.trimmed(PQerrorMessage($0)) } ?? "out of memory"
            PQfinish(connection)
            throw PostgresError(message: "cannot connect to PostgreSQL: \(message)", isConnectionFailure: true)
        }
        handle = connection
    }

    deinit { close() }

    func close() {
        guard let handle else { return }
        PQfinish(handle)
        self.handle = nil
        prepared.removeAll()
        prelude.removeAll()
    }

    /// Queues a parameterless command that needs no answer of its own (BEGIN, SAVEPOINT):
    /// it goes out with the next `execute`, `query` or `pipeline`, in the same round trip,
    /// and a failure of it is that call's failure. Saves a round trip per command on the
    /// journal's commit path (docs/cluster.md "Measured").
    func sendWithNext(_ command: String) { prelude.append(command) }

    /// Forgets queued commands that never went out (the caller gave the request up).
    func discardPrelude() { prelude.removeAll() }

    var isOpen: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// In a transaction block (including a failed one waiting for ROLLBACK).
    var isInTransaction: Bool {
        guard let handle else { return false }
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_INTRANS || status == PQTRANS_INERROR
    }

    /// Runs SQL text without parameters (may hold several statements).
    func execute(_ sql: String) throws(PostgresError) {
        guard let handle else { throw Self.closedError }
        // A simple query may hold several statements: the queued ones travel in front.
        let text = (prelude + [sql]).joined(separator: "; ")
        prelude.removeAll()
        let result = PQexec(handle, text)
        defer { PQclear(result) }
        _ = try check(result)
    }

    /// Runs a parameterized statement, prepared under `name` the first time this connection
    /// sees it. Results come back in binary format.
    @discardableResult
    func query(_ name: String, _ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresRows {
        guard let handle else { throw Self.closedError }
        // Queued commands need the pipeline to share this round trip.
        if !prelude.isEmpty { return try pipeline([PostgresStatement(name: name, sql: sql, parameters: parameters)])[0] }
        if !prepared.contains(name) {
            let types = parameters.map(\.typeOID)
            let result = types.withUnsafeBufferPointer { PQprepare(handle, name, sql, Int32(types.count), $0.baseAddress) }
            defer { PQclear(result) }
            _ = try check(result)
            prepared.insert(name)
        }
        let result = Self.withParameters(parameters) { values, lengths, formats in
            PQexecPrepared(handle, name, Int32(parameters.count), values, lengths, formats, 1)
        }
        defer { PQclear(result) }
        return try check(result)
    }

    /// Runs statements in libpq's pipeline mode: all are sent, then one sync, then the
    /// results are read — one round trip instead of one per statement. The first failure is
    /// thrown once every result is drained (the server skips the statements after it).
    /// Callers keep pipelines short (the socket buffers must hold the results unread).
    func pipeline(_ statements: [PostgresStatement]) throws(PostgresError) -> [PostgresRows] {
        guard let handle else { throw Self.closedError }
        for statement in statements where !prepared.contains(statement.name) {
            let types = statement.parameters.map(\.typeOID)
            let result = types.withUnsafeBufferPointer { PQprepare(handle, statement.name, statement.sql, Int32(types.count), $0.baseAddress) }
            defer { PQclear(result) }
            _ = try check(result)
            prepared.insert(statement.name)
        }
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(message: "cannot enter pipeline mode: \(Self.trimmed(PQerrorMessage(handle)))")
        }
        defer { PQexitPipelineMode(handle) }
        let commands = prelude
        prelude.removeAll()
        for command in commands {
            guard PQsendQueryParams(handle, command, 0, nil, nil, nil, nil, 1) == 1 else {
                throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), isConnectionFailure: PQstatus(handle) != CONNECTION_OK)
            }
        }
        for statement in statements {
            let sent = Self.withParameters(statement.parameters) { values, lengths, formats in
                PQsendQueryPrepared(handle, statement.name, Int32(statement.parameters.count), values, lengths, formats, 1)
            }
            guard sent == 1 else { throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), isConnectionFailure: PQstatus(handle) != CONNECTION_OK) }
        }
        guard PQpipelineSync(handle) == 1 else {
            throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), isConnectionFailure: PQstatus(handle) != CONNECTION_OK)
        }
        var rows: [PostgresRows] = []
        var firstError: PostgresError?
        for index in 0..<(commands.count + statements.count) {
            // Each statement's results end with a NULL.
            var answered = false
            while let result = PQgetResult(handle) {
                defer { PQclear(result) }
                if answered { continue }
                answered = true
                do throws(PostgresError) {
                    let answer = try check(result)
                    if index >= commands.count { rows.append(answer) }
                } catch {
                    if firstError == nil { firstError = error }
                    if index >= commands.count { rows.append(PostgresRows(rows: [], affected: 0)) }
                }
            }
            if !answered {
                throw PostgresError(message: "pipeline ended early: \(Self.trimmed(PQerrorMessage(handle)))", isConnectionFailure: true)
            }
        }
        guard let sync = PQgetResult(handle) else {
            throw PostgresError(message: "pipeline sync missing: \(Self.trimmed(PQerrorMessage(handle)))", isConnectionFailure: true)
        }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        if let firstError { throw firstError }
        guard synced else { throw PostgresError(message: "pipeline sync expected", isConnectionFailure: true) }
        return rows
    }

    private func check(_ result: OpaquePointer?) throws(PostgresError) -> PostgresRows {
        guard let handle else { throw Self.closedError }
        guard let result else {
            throw PostgresError(message: Self.trimmed(PQerrorMessage(handle)), isConnectionFailure: PQstatus(handle) != CONNECTION_OK)
        }
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            let message = Self.trimmed(PQresultErrorMessage(result))
            throw PostgresError(
                sqlState: state, message: message.isEmpty ? Self.trimmed(PQerrorMessage(handle)) : message,
                isConnectionFailure: PQstatus(handle) != CONNECTION_OK || status == PGRES_FATAL_ERROR && state == nil)
        }
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var rows: [[[UInt8]?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [[UInt8]?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                let (r, c) = (Int32(row), Int32(column))
                if PQgetisnull(result, r, c) == 1 {
                    values.append(nil)
                } else {
                    let length = Int(PQgetlength(result, r, c))
                    let start = UnsafeRawPointer(PQgetvalue(result, r, c)!)
                    values.append(Array(UnsafeRawBufferPointer(start: start, count: length)))
                }
            }
            rows.append(values)
        }
        let affected = PQcmdTuples(result).map { Int(String(cString: $0)) ?? 0 } ?? 0
        return PostgresRows(rows: rows, affected: affected)
    }

    private static let closedError = PostgresError(message: "connection closed", isConnectionFailure: true)

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        var text = String(cString: message)
        while text.last?.isNewline == true || text.last == " " { text.removeLast() }
        return text
    }

    /// Lays every parameter out in one buffer and hands libpq pointers into it.
    private static func withParameters<T>(
        _ parameters: [PostgresValue],
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> T
    ) -> T {
        var storage: [UInt8] = []
        var offsets: [Int?] = []
        var lengths: [Int32] = []
        for parameter in parameters {
            if let bytes = parameter.binary {
                offsets.append(storage.count)
                lengths.append(Int32(bytes.count))
                storage.append(contentsOf: bytes)
            } else {
                offsets.append(nil)
                lengths.append(0)
            }
        }
        storage.append(0) // a non-empty buffer, so even an empty value has a non-null pointer
        let formats = [Int32](repeating: 1, count: parameters.count)
        return storage.withUnsafeBufferPointer { buffer in
            let base = UnsafeRawPointer(buffer.baseAddress!).assumingMemoryBound(to: CChar.self)
            let values: [UnsafePointer<CChar>?] = offsets.map { $0.map { base + $0 } }
            return values.withUnsafeBufferPointer { values in
                lengths.withUnsafeBufferPointer { lengths in
                    formats.withUnsafeBufferPointer { formats in
                        body(values.baseAddress, lengths.baseAddress, formats.baseAddress)
                    }
                }
            }
        }
    }

    private static func withCStrings<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies = strings.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        let pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}
