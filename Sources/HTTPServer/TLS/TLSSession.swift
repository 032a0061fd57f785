import COpenSSL

/// One connection's OpenSSL state over its non-blocking socket (OpenSSL does the I/O).
final class TLSSession {
    private let ssl: OpaquePointer

    enum Step {
        case done
        case wantRead
        case wantWrite
        case failed
    }

    init?(context: TLSContext, fd: Int32) {
        guard let ssl = SSL_new(context.context) else { return nil }
        self.ssl = ssl
        SSL_set_fd(ssl, fd)
        SSL_set_accept_state(ssl)
    }

    deinit {
        SSL_free(ssl)
    }

    func handshake() -> Step {
        let result = SSL_do_handshake(ssl)
        if result == 1 { return .done }
        return step(for: result)
    }

    /// Bytes read (> 0), or the reason none were.
    func read(into buffer: UnsafeMutableRawBufferPointer) -> TransportResult {
        let result = SSL_read(ssl, buffer.baseAddress, Int32(min(buffer.count, Int(Int32.max))))
        if result > 0 { return .bytes(Int(result)) }
        return transportResult(for: result)
    }

    func write(_ bytes: UnsafeRawBufferPointer) -> TransportResult {
        guard bytes.count > 0 else { return .bytes(0) }
        let result = SSL_write(ssl, bytes.baseAddress, Int32(min(bytes.count, Int(Int32.max))))
        if result > 0 { return .bytes(Int(result)) }
        return transportResult(for: result)
    }

    /// Sends close_notify (best effort; the socket is closed right after).
    func shutdown() {
        _ = SSL_shutdown(ssl)
    }

    private func step(for result: Int32) -> Step {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wantRead
        case SSL_ERROR_WANT_WRITE: return .wantWrite
        default:
            ERR_clear_error()
            return .failed
        }
    }

    private func transportResult(for result: Int32) -> TransportResult {
        switch SSL_get_error(ssl, result) {
        case SSL_ERROR_WANT_READ: return .wouldBlock(wantsWrite: false)
        case SSL_ERROR_WANT_WRITE: return .wouldBlock(wantsWrite: true)
        case SSL_ERROR_ZERO_RETURN: return .closed
        default:
            ERR_clear_error()
            return .failed
        }
    }
}

/// The outcome of one read or write on a connection's transport.
enum TransportResult {
    case bytes(Int)
    case wouldBlock(wantsWrite: Bool)
    case closed
    case failed
}
