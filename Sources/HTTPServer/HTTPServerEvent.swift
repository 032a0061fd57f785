/// What the server reports to `HTTPServerConfiguration.onEvent` (for metrics and logs).
public enum HTTPServerEvent: Sendable, Equatable {
    case connectionOpened
    case connectionClosed
    /// A connection refused at accept: `connection_limit` or `address_connection_limit`.
    case connectionRejected(reason: String)
    /// A response was queued for a parsed request.
    case responded(status: Int)
    case parseError(status: Int, code: String)
    case rateLimited
    /// A connection closed by a deadline: `head`, `body`, `idle`, `write` or `handshake`.
    case timeout(kind: String)
    case tlsHandshakeFailed
}

/// Counters since start, read with `HTTPServer.statistics`.
public struct HTTPServerStatistics: Sendable, Equatable {
    public var openConnections: Int
    public var acceptedConnections: Int
    public var rejectedConnections: Int
    public var requests: Int
    public var parseErrors: Int
    public var rateLimited: Int
    public var timeouts: Int
}
