// CONTRACT between HTTPWire (parser/serializer) and HTTPServer / BulkheadService.
// The wire helper implements behind these names; split into one-type files as it grows.

/// Request methods the router understands; anything else is `.other`.
public enum HTTPMethod: Sendable, Hashable {
    case get, head, post, put, delete, patch, options
    case other(String)

    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .options: "OPTIONS"
        case .other(let name): name
        }
    }
}

public enum HTTPVersion: Sendable, Hashable {
    case http10
    case http11
}

/// Header fields as parsed: names and values kept as bytes; lookups compare
/// case-insensitively on demand, so no `String` or `Dictionary` is built per header.
public struct HTTPHeaders: Sendable {
    public init() {}

    /// First value of the named field (name compared case-insensitively), decoded as UTF-8.
    public func first(_ name: String) -> String? {
        fatalError("unimplemented")
    }

    /// All (name, value) pairs in order, decoded (for logging and tests, not the hot path).
    public var fields: [(name: String, value: String)] {
        fatalError("unimplemented")
    }

    public var count: Int { 0 }
}

/// A request line and header block.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The raw request-target, e.g. `/v1/segments/majors/accounts?status=at_risk`.
    public var target: String
    /// The path part of `target`, not percent-decoded.
    public var path: Substring { target[..<(target.firstIndex(of: "?") ?? target.endIndex)] }
    /// The query part after `?`, if any.
    public var query: Substring? {
        guard let mark = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: mark)...]
    }
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    /// Whether the connection stays open after this exchange (1.0/1.1 rules + `Connection`).
    public var keepAlive: Bool
    /// `Expect: 100-continue` was sent and a body follows.
    public var expectsContinue: Bool

    public init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, keepAlive: Bool, expectsContinue: Bool) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}

/// A complete request: head plus the whole (de-chunked, size-limited) body.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// Peer address, "ip:port" (set by the server).
    public var remoteAddress: String

    public init(head: HTTPRequestHead, body: [UInt8], remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }
}

/// Parser limits; every one configurable, each with a safe default.
public struct HTTPLimits: Sendable, Hashable {
    public var maxRequestLineBytes = 8 * 1024
    public var maxHeaderBytes = 16 * 1024
    public var maxHeaderCount = 64
    public var maxBodyBytes = 1024 * 1024
    public var maxChunkSizeDigits = 8
    public var maxChunkExtensionBytes = 256
    public var maxTrailerBytes = 4 * 1024

    public init() {}
}

/// A request the parser refuses: the server answers `status` with a JSON error and closes.
public struct HTTPParseError: Error, Sendable, Equatable {
    /// 400, 413, 414, 431, 501 or 505.
    public var status: Int
    /// Stable short code, e.g. `invalid_header`, `ambiguous_framing`.
    public var code: String
    public var message: String

    public init(status: Int, code: String, message: String) {
        self.status = status
        self.code = code
        self.message = message
    }
}

/// What the push parser has found in the bytes it was fed.
public enum HTTPParserEvent: Sendable {
    /// The head is complete; a body may follow (answer 100 Continue now if `expectsContinue`).
    case head(HTTPRequestHead)
    /// The request is complete (head repeated, body whole).
    case request(HTTPRequest)
}

/// Incremental request parser: feed any byte slices; the result does not depend on where
/// the input was split.
public struct HTTPRequestParser: Sendable {
    public init(limits: HTTPLimits = HTTPLimits()) {}

    /// Appends bytes received from the socket.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {}

    /// The next event, or `nil` when more bytes are needed. After a thrown error the
    /// connection must be answered and closed.
    public mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        nil
    }

    /// Bytes buffered but not yet consumed (for pipelining and limits).
    public var bufferedByteCount: Int { 0 }
}

/// One header of a response.
public struct HTTPField: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// Where a streamed response body goes (Server-Sent Events).
public protocol HTTPBodyWriter: Sendable {
    func write(_ chunk: [UInt8]) async throws
}

public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Sent with chunked encoding until the closure returns.
        case stream(@Sendable (any HTTPBodyWriter) async throws -> Void)
    }

    public var status: Int
    /// Headers the application sets; the serializer adds Date, Content-Length or
    /// Transfer-Encoding, and Connection.
    public var headers: [HTTPField]
    public var body: Body

    public init(status: Int, headers: [HTTPField] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// Serializes responses into one buffer each.
public enum HTTPResponseSerializer {
    /// Appends status line, headers and (unless HEAD/1xx/204/304) body to `buffer`.
    public static func serialize(
        status: Int, headers: [HTTPField], body: [UInt8], keepAlive: Bool, isHead: Bool,
        date: [UInt8], into buffer: inout [UInt8]
    ) {}
}
