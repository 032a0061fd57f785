/// A request line and header block.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The raw request-target, e.g. `/v1/segments/majors/accounts?status=at_risk`.
    public var target: String
    /// The path part of `target`, not percent-decoded.
    public var path: Substring { target[..<(queryMark ?? target.endIndex)] }
    /// The query part after `?`, if any.
    public var query: Substring? {
        guard let mark = queryMark else { return nil }
        return target[target.utf8.index(after: mark)...]
    }
    /// Searched as a byte: the target is ASCII, so no grapheme breaking is needed.
    private var queryMark: String.Index? { target.utf8.firstIndex(of: UInt8(ascii: "?")) }
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
