/// A request line and header block.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The request-target in origin-form, e.g. `/v1/segments/majors/accounts?status=at_risk`
    /// (an absolute-form target arrives here reduced to its path and query), or `*`.
    public var target: String
    /// The authority of an absolute-form target (`GET http://host:port/path`): RFC 9112
    /// §3.2.2 says it replaces `Host` (which is still required and validated); `nil` for
    /// origin-form. `host` is the value to route and check on either way.
    public var authority: String?
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

    /// The effective host: the absolute-form authority, else the `Host` field (RFC 9112 §3.2.2).
    public var host: String? { authority ?? headers.first("host") }

    public init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, keepAlive: Bool, expectsContinue: Bool, authority: String? = nil) {
        self.method = method
        self.target = target
        self.authority = authority
        self.version = version
        self.headers = headers
        self.keepAlive = keepAlive
        self.expectsContinue = expectsContinue
    }
}
