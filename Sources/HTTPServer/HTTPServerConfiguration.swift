import CLinux
import HTTPWire

public struct HTTPServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port; read it back from `HTTPServer.localPort`.
    public var port: Int = 8080
    /// Event loops (threads running epoll); defaults to the core count.
    public var eventLoops: Int = max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    public var limits = HTTPLimits()
    public var maxConnections = 10_000
    /// Includes the TLS handshake; starts when the connection is accepted or when the first
    /// byte of a later request arrives.
    public var requestHeadTimeoutSeconds: Double = 10
    /// Longest pause between two reads of a request body.
    public var bodyIdleTimeoutSeconds: Double = 10
    public var keepAliveIdleTimeoutSeconds: Double = 60
    /// Longest time a pending write may make no progress.
    public var writeStallTimeoutSeconds: Double = 10
    public var tls: TLSConfiguration? = nil
    /// Responses at least this large are gzipped when the client accepts it; nil disables.
    public var gzipMinimumBytes: Int? = 1024
    /// zlib level 1…9; 6 is zlib's balance of speed and size.
    public var gzipLevel: Int = 6

    /// Connections from one client address at once; nil means no per-address cap.
    public var maxConnectionsPerAddress: Int? = nil
    /// Requests per connection; nil means unlimited.
    public var connectionRequestRate: HTTPRateLimit? = nil
    /// Requests per client address across its connections; nil means unlimited.
    public var addressRequestRate: HTTPRateLimit? = nil
    /// Requests that carry an `Authorization` header skip the per-address and per-connection
    /// request rates: the responder limits them by API key once the key is verified, and by
    /// address when it is not (#17: a platform service sending tens of thousands of requests
    /// per second from one address is limited by its key's quota, not by the address's).
    public var credentialedRequestsSkipRateLimits = false
    /// Bound of the per-address table (connection counts and rate buckets); idle entries
    /// are evicted when it is full.
    public var maxTrackedAddresses = 65_536
    /// `Retry-After` seconds sent with the 503 for the connection cap.
    public var retryAfterSeconds = 1

    /// A streaming body writer suspends while this many bytes wait to be written; the
    /// next request of a pipelining client is not parsed while more than this is pending.
    public var maxPendingOutputBytes = 256 * 1024
    /// Bytes read ahead while a request is being handled (pipelining) before reading pauses.
    public var maxReadAheadBytes = 64 * 1024
    /// How long a closing connection waits for the client's end after the last response,
    /// so unread input does not turn the close into a reset that loses the response.
    public var closeLingerSeconds: Double = 2
    public var listenBacklog = 1024
    /// Requests one connection may start per pass of its event loop; a pipelining client
    /// past it waits for the next pass, after every other ready connection had its turn.
    public var maxRequestsPerConnectionPerPass = 4
    /// Request tasks prefer their connection's event loop as task executor: handler code
    /// runs on the loop thread (no hop) while awaits on actors run elsewhere. Turn off if
    /// handlers do heavy synchronous work, which would stall the loop's other connections.
    public var handlersRunOnEventLoop = true
    /// Called on the event loop thread for each `HTTPServerEvent`; keep it cheap.
    public var onEvent: (@Sendable (HTTPServerEvent) -> Void)? = nil

    public init() {}
}

/// A token bucket: `burst` requests at once, refilled at `requestsPerSecond`.
public struct HTTPRateLimit: Sendable, Hashable {
    public var requestsPerSecond: Double
    public var burst: Int

    public init(requestsPerSecond: Double, burst: Int) {
        self.requestsPerSecond = requestsPerSecond
        self.burst = burst
    }
}

public struct TLSConfiguration: Sendable {
    public var certificatePath: String
    public var privateKeyPath: String
    /// OpenSSL cipher list for TLS 1.2 (TLS 1.3 suites are OpenSSL's defaults).
    public var cipherList = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!MD5:!DSS"

    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}
