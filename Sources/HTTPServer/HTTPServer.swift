import CLinux
import Glibc
import HTTPWire
import Synchronization

// CONTRACT between HTTPServer and BulkheadService. The server helper implements behind it.

/// The application side of the server: one call per complete request.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse

    /// Early admission, on the event loop as soon as a request's head is parsed and before
    /// its body is read or parsed: a response refuses the request (a flooded segment's 503,
    /// say) so an overload costs the server as little as possible; nil admits it. Must be
    /// cheap and must not block. The refused request never reaches `respond`.
    func admit(head: HTTPRequestHead) -> HTTPResponse?
}

extension HTTPResponder {
    public func admit(head: HTTPRequestHead) -> HTTPResponse? { nil }
}

/// Why `HTTPServer.start` failed.
public enum HTTPServerError: Error, Sendable, CustomStringConvertible {
    case alreadyStarted
    case bind(host: String, port: Int, errno: Int32)
    case tls(String)
    case system(String, Int32)

    public var description: String {
        switch self {
        case .alreadyStarted: "the server was already started"
        case .bind(let host, let port, let code): "cannot listen on \(host):\(port): \(String(cString: strerror(code)))"
        case .tls(let message): "TLS setup failed: \(message)"
        case .system(let call, let code): "\(call) failed: \(String(cString: strerror(code)))"
        }
    }
}

/// HTTP/1.1 server over non-blocking sockets and one epoll loop per thread.
///
/// ```swift
/// var configuration = HTTPServerConfiguration()
/// configuration.port = 0                      // any free port
/// let server = HTTPServer(configuration: configuration, responder: MyResponder())
/// let port = try server.start()
/// …
/// await server.shutdown(gracePeriodSeconds: 10)   // or: await server.waitUntilStopped()
/// ```
///
/// The server owns framing and transport: parse errors are answered with their status and
/// a JSON error body and the connection closed; limits, deadlines, the connection caps,
/// rate limits (429), gzip and TLS come from `HTTPServerConfiguration`. Requests of one
/// connection are handled one at a time, so responses keep request order (pipelining).
///
/// One listening socket is added to every loop's epoll set with `EPOLLEXCLUSIVE`: the
/// kernel wakes one waiting (so idle) loop per new connection, which accepts it and keeps
/// it for its whole life. That balances by load rather than by hash (as SO_REUSEPORT
/// would), keeps port 0 simple, and stopping to accept is one `EPOLL_CTL_DEL` per loop.
/// Complete requests go to the responder as one `Task` each; the response comes back
/// through the owning loop's inbox and eventfd.
public final class HTTPServer: Sendable {
    private let configuration: HTTPServerConfiguration
    private let responder: any HTTPResponder
    private let log: (@Sendable (String) -> Void)?
    private let state = Mutex(State())

    private struct State {
        var started = false
        var stopped = false
        var port = 0
        var listenFD: Int32 = -1
        var loops: [EventLoop] = []
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
        var context: ServerContext?
    }

    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, log: (@Sendable (String) -> Void)? = nil) {
        self.configuration = configuration
        self.responder = responder
        self.log = log
    }

    /// Binds and starts the event loops; returns the bound port.
    public func start() throws -> Int {
        try state.withLock { state throws(HTTPServerError) in
            guard !state.started else { throw .alreadyStarted }
            var tls: TLSContext?
            if let tlsConfiguration = configuration.tls {
                do {
                    tls = try TLSContext(configuration: tlsConfiguration)
                } catch {
                    throw .tls("\(error)")
                }
                // OpenSSL writes to the socket itself, without MSG_NOSIGNAL.
                signal(SIGPIPE, SIG_IGN)
            }
            let fd = bh_listen(configuration.host, Int32(configuration.port), Int32(configuration.listenBacklog))
            guard fd >= 0 else { throw .bind(host: configuration.host, port: configuration.port, errno: -fd) }
            let context = ServerContext(configuration: configuration, responder: responder, tls: tls,
                                        listenFD: fd, log: log)
            var loops: [EventLoop] = []
            for _ in 0..<max(1, configuration.eventLoops) {
                do throws(HTTPServerError) {
                    loops.append(try EventLoop(context: context) { [weak self] in self?.loopExited() })
                } catch {
                    Glibc.close(fd)
                    throw error
                }
            }
            state.started = true
            state.listenFD = fd
            state.port = Int(bh_local_port(fd))
            state.loops = loops
            state.running = loops.count
            state.context = context
            context.setLoops(loops)
            for (index, loop) in loops.enumerated() { Self.spawn(loop, name: "http-loop-\(index)") }
            log?("listening on \(configuration.host):\(state.port) with \(loops.count) event loops")
            var files = rlimit()
            if getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &files) == 0,
               files.rlim_cur < rlim_t(configuration.maxConnections + 64) {
                // Past the descriptor limit accept fails (and pauses) before the cap's 503.
                log?("open-file limit \(files.rlim_cur) is below maxConnections \(configuration.maxConnections) + 64")
            }
            return state.port
        }
    }

    /// Suspends until the server has stopped (after `shutdown`).
    public func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state in
                if !state.started || state.stopped { return true }
                state.waiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Stops accepting, lets in-flight requests finish, closes idle connections; bounded by
    /// the deadline, after which remaining connections are closed.
    public func shutdown(gracePeriodSeconds: Double) async {
        let (loops, listenFD) = state.withLock { ($0.loops, $0.listenFD) }
        let deadline = bh_monotonic_ns() + Int64(max(0, gracePeriodSeconds) * 1e9)
        // Refuse new connections now (and reset those still in the backlog): shutdown on a
        // listening socket stops it without closing the fd, which the loops may still hold.
        if !loops.isEmpty { Glibc.shutdown(listenFD, Int32(SHUT_RD)) }
        for loop in loops { loop.post(.shutdown(deadline: deadline)) }
        await waitUntilStopped()
    }

    public var localPort: Int { state.withLock { $0.port } }

    /// Counters since start (all zero before).
    public var statistics: HTTPServerStatistics {
        state.withLock { $0.context?.counters.snapshot } ?? ServerCounters().snapshot
    }

    /// Open connections per event loop, in loop order (empty when stopped).
    public var connectionsPerLoop: [Int] {
        state.withLock { $0.loops.map { $0.load.load(ordering: .relaxed) } }
    }

    private func loopExited() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.running -= 1
            guard state.running == 0 else { return [] }
            state.stopped = true
            Glibc.close(state.listenFD)
            state.loops = []
            state.context?.setLoops([])
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    private static func spawn(_ loop: EventLoop, name: String) {
        loop.threadName = name
        let box = Unmanaged.passRetained(loop).toOpaque()
        var thread = pthread_t()
        pthread_create(&thread, nil, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            bh_name_thread(loop.threadName)  // so `top -H` and perf tell the threads apart
            loop.run()
            return nil
        }, box)
        pthread_detach(thread)
    }
}
