import CPostgres
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension PostgresConnection {
    /// Waits up to `timeoutMilliseconds` for `NOTIFY` messages on the channels this
    /// connection `LISTEN`s to and returns their payloads (empty on timeout). The wait is a
    /// `poll` on libpq's socket, so an idle listener costs no CPU and no round trips.
    func notifications(timeoutMilliseconds: Int32) throws(PostgresError) -> [String] {
        guard let handle else { throw PostgresError(message: "connection closed", isConnectionFailure: true) }
        var payloads = drain(handle)
        guard payloads.isEmpty else { return payloads }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { throw PostgresError(message: "connection has no socket", isConnectionFailure: true) }
        let ready = poll(&descriptor, 1, timeoutMilliseconds)
        if ready < 0, errno != EINTR { throw PostgresError(message: "poll failed: errno \(errno)", isConnectionFailure: true) }
        guard ready > 0 else { return [] }
        guard PQconsumeInput(handle) == 1 else {
            throw PostgresError(message: "connection lost while listening", isConnectionFailure: true)
        }
        payloads = drain(handle)
        return payloads
    }

    private func drain(_ handle: OpaquePointer) -> [String] {
        var payloads: [String] = []
        while let notify = PQnotifies(handle) {
            payloads.append(String(cString: notify.pointee.extra))
            PQfreemem(notify)
        }
        return payloads
    }
}
