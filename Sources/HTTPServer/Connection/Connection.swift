import CLinux
import Glibc
import HTTPWire

/// One client connection: its socket (optionally TLS), parser, output buffer and the
/// state of the exchange in progress. Lives on its loop's thread only.
///
/// Requests of a connection are handled one at a time: the next pipelined request is parsed
/// only after the previous response is queued, so responses go out in request order.
final class Connection {
    enum Phase {
        /// TLS handshake in progress (counts against the head deadline).
        case handshaking
        /// Between requests, nothing buffered.
        case idle
        case receivingHead
        case receivingBody
        /// The request is with the responder.
        case responding
        /// A `.stream` body is being written.
        case streaming
        /// Writing a final response; the connection closes once it is out.
        case closing
        /// Our side is shut down; reading (and discarding) until the client closes.
        case draining
    }

    let fd: Int32
    let id: ConnectionID
    unowned let loop: EventLoop
    let remoteAddress: String
    let addressKey: AddressKey
    /// False for connections refused at accept (not counted as open).
    let counted: Bool

    var parser: HTTPRequestParser
    var tls: TLSSession?
    var phase: Phase = .idle
    var isClosed = false

    var deadline: Int64 = .max
    var writeDeadline: Int64 = .max
    var nextDeadline: Int64 { min(deadline, writeDeadline) }

    var output: [UInt8] = []
    var outputOffset = 0
    var pendingOutputCount: Int { output.count - outputOffset }
    /// Current epoll interest set.
    var interest: UInt32 = EPOLLIN.rawValue

    // The exchange in progress.
    var isHeadRequest = false
    var isHTTP11 = true
    var keepAlive = true
    /// Kept for the Accept-Encoding check when gzip is enabled.
    var requestHeaders: HTTPHeaders?
    var advancing = false
    var pendingContinue = false
    var hasServedRequest = false
    var stream: ResponseStream?
    var streamChunked = true
    var streamBytesInOutput = 0

    // Flow control.
    var peerClosed = false
    var readAheadPaused = false
    var waitingForFlush = false
    var closeAfterWrite = false
    var handshakeWantsWrite = false
    var tlsReadWantsWrite = false
    var tlsWriteWantsRead = false
    var sawFirstByte = false

    var bucket: TokenBucket?

    init(fd: Int32, id: ConnectionID, loop: EventLoop, remoteAddress: String, addressKey: AddressKey, counted: Bool) {
        self.fd = fd
        self.id = id
        self.loop = loop
        self.remoteAddress = remoteAddress
        self.addressKey = addressKey
        self.counted = counted
        parser = HTTPRequestParser(limits: loop.context.configuration.limits)
    }

    var context: ServerContext { loop.context }

    /// Called once after registration: arms the head deadline and the TLS handshake.
    func start() {
        deadline = loop.now + context.headTimeout
        if let tlsContext = context.tls {
            guard let session = TLSSession(context: tlsContext, fd: fd) else {
                close()
                return
            }
            tls = session
            phase = .handshaking
        }
        if let rate = context.configuration.connectionRequestRate {
            bucket = TokenBucket(limit: rate, now: loop.now)
        }
    }

    /// Whether shutdown may close it right away (no request in progress, nothing to write).
    var isIdle: Bool {
        if pendingOutputCount > 0 && phase != .draining { return false }
        return switch phase {
        case .idle, .handshaking, .draining: true
        case .receivingHead: parser.bufferedByteCount == 0
        default: false
        }
    }

    func handle(events: UInt32) {
        // Error or hang-up (reset, or both directions shut): nothing can be delivered any
        // more, and these are reported even without interest, so they must end it here.
        if events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
            close()
            return
        }
        let readable = events & EPOLLIN.rawValue != 0
        let writable = events & EPOLLOUT.rawValue != 0
        if phase == .handshaking {
            continueHandshake()
            return
        }
        if writable || (readable && tlsWriteWantsRead) {
            flush()
            if isClosed { return }
        }
        if readable || (writable && tlsReadWantsWrite) {
            readAvailable()
        }
    }

    /// Writes `bytes` (a complete response) and closes once it is out.
    func sendClosing(_ bytes: [UInt8]) {
        output.append(contentsOf: bytes)
        closeAfterWrite = true
        phase = .closing
        deadline = .max
        flush()
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        stream?.close()
        stream = nil
        tls = nil
        Glibc.close(fd)
        loop.remove(self)
        if counted {
            context.counters.open.subtract(1, ordering: .relaxed)
            context.addresses?.close(addressKey)
            context.emit(.connectionClosed)
        } else {
            loop.rejectingCount -= 1
        }
    }

    // MARK: Interest

    var readingEnabled: Bool {
        !peerClosed && !readAheadPaused && phase != .handshaking
    }

    func updateInterest() {
        guard !isClosed else { return }
        var wanted: UInt32 = 0
        if readingEnabled || tlsWriteWantsRead || (phase == .handshaking && !handshakeWantsWrite) {
            wanted |= EPOLLIN.rawValue
        }
        if pendingOutputCount > 0 || tlsReadWantsWrite || (phase == .handshaking && handshakeWantsWrite) {
            wanted |= EPOLLOUT.rawValue
        }
        if wanted != interest {
            interest = wanted
            _ = bh_epoll_ctl(loop.epollFD, EPOLL_CTL_MOD, fd, wanted, id.token)
        }
    }

    // MARK: Deadlines

    func deadlinePassed() {
        let now = loop.now
        if writeDeadline <= now {
            timedOut("write")
            close()
            return
        }
        if pendingOutputCount > 0 && (phase == .idle || phase == .receivingHead) {
            // A large response is still draining to a slow reader: the write-stall deadline
            // governs until it is out.
            deadline = now + context.keepAliveTimeout
            return
        }
        switch phase {
        case .handshaking:
            timedOut("handshake")
            close()
        case .idle:
            timedOut(hasServedRequest ? "idle" : "head")
            close()
        case .receivingHead, .receivingBody:
            timedOut(phase == .receivingHead ? "head" : "body")
            deadline = .max
            sendClosing(ErrorDocument.closingResponse(
                status: 408, code: "request_timeout", message: "the request was not received in time",
                date: loop.date))
        case .draining:
            close()
        case .responding, .streaming, .closing:
            deadline = .max
        }
    }

    private func timedOut(_ kind: String) {
        context.counters.bump(.timeouts)
        context.emit(.timeout(kind: kind))
    }
}
