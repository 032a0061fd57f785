import HTTPWire

// CONTRACT between HTTPServer and BulkheadService. The server helper implements behind it.

/// The application side of the server: one call per complete request.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}

public struct HTTPServerConfiguration: Sendable {
    public var host: String = "127.0.0.1"
    /// 0 picks a free port; read it back from `HTTPServer.localPort`.
    public var port: Int = 8080
    /// Event loops (threads running epoll); defaults to the core count.
    public var eventLoops: Int = 2
    public var limits = HTTPLimits()
    public var maxConnections = 10_000
    public var requestHeadTimeoutSeconds: Double = 10
    public var bodyIdleTimeoutSeconds: Double = 10
    public var keepAliveIdleTimeoutSeconds: Double = 60
    public var writeStallTimeoutSeconds: Double = 10
    public var tls: TLSConfiguration? = nil
    /// Responses at least this large are gzipped when the client accepts it; nil disables.
    public var gzipMinimumBytes: Int? = 1024

    public init() {}
}

public struct TLSConfiguration: Sendable {
    public var certificatePath: String
    public var privateKeyPath: String

    public init(certificatePath: String, privateKeyPath: String) {
        self.certificatePath = certificatePath
        self.privateKeyPath = privateKeyPath
    }
}

public final class HTTPServer: Sendable {
    public init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, log: (@Sendable (String) -> Void)? = nil) {}

    /// Binds and starts the event loops; returns the bound port.
    public func start() throws -> Int { 0 }

    /// Suspends until the server has stopped (after `shutdown`).
    public func waitUntilStopped() async {}

    /// Stops accepting, lets in-flight requests finish, closes idle connections; bounded by
    /// the deadline, after which remaining connections are closed.
    public func shutdown(gracePeriodSeconds: Double) async {}

    public var localPort: Int { 0 }
}
