import Testing

/// One raw request and what the server must do with it.
struct WireCase: Sendable, CustomTestStringConvertible {
    let name: String
    let request: String
    let status: Int
    let closes: Bool
    var isHead = false
    var body: String? = nil
    var header: (String, String)? = nil

    var testDescription: String { name }
}

private let host = "Host: example.test\r\n"
private let big = String(repeating: "a", count: 9000)

/// RFC 9112 framing, smuggling vectors, limits and routing, each asserting the exact status
/// and whether the connection closes (checked by a follow-up request on the same socket).
let wireCases: [WireCase] = [
    // Plain exchanges and keep-alive rules.
    WireCase(name: "GET 1.1 keeps alive", request: "GET /hello HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, body: "hello"),
    WireCase(name: "query string reaches the handler", request: "GET /path?a=1&b=%20 HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, body: "/path?a=1&b=%20"),
    WireCase(name: "HTTP/1.0 closes by default", request: "GET /hello HTTP/1.0\r\n\r\n", status: 200, closes: true, body: "hello"),
    WireCase(name: "HTTP/1.0 keep-alive honoured", request: "GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", status: 200, closes: false, header: ("connection", "keep-alive")),
    WireCase(name: "Connection: close honoured", request: "GET /hello HTTP/1.1\r\n\(host)Connection: close\r\n\r\n", status: 200, closes: true, header: ("connection", "close")),
    WireCase(name: "Connection: Close any case", request: "GET /hello HTTP/1.1\r\n\(host)Connection: Close\r\n\r\n", status: 200, closes: true),
    WireCase(name: "close among Connection options", request: "GET /hello HTTP/1.1\r\n\(host)Connection: keep-alive, close\r\n\r\n", status: 200, closes: true),
    WireCase(name: "HEAD has no body", request: "HEAD /hello HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, isHead: true, header: ("content-length", "5")),
    WireCase(name: "POST with Content-Length", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nhello", status: 200, closes: false, body: "hello"),
    WireCase(name: "POST with empty body", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 0\r\n\r\n", status: 200, closes: false, body: ""),
    WireCase(name: "DELETE answered 204", request: "DELETE /hello HTTP/1.1\r\n\(host)\r\n", status: 204, closes: false),
    WireCase(name: "Expect 100-continue with body already sent", request: "POST /echo HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", status: 200, closes: false, body: "hi"),
    WireCase(name: "unknown Expect is 417", request: "POST /echo HTTP/1.1\r\n\(host)Expect: teapot\r\nContent-Length: 2\r\n\r\nhi", status: 417, closes: true),

    // Chunked bodies.
    WireCase(name: "chunked body", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n", status: 200, closes: false, body: "hello"),
    WireCase(name: "chunked, several chunks", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", status: 200, closes: false, body: "abcde"),
    WireCase(name: "chunk extension ignored", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n0\r\n\r\n", status: 200, closes: false, body: "hello"),
    WireCase(name: "chunked trailer accepted", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\nX-Trailer: 1\r\n\r\n", status: 200, closes: false, body: "hello"),
    WireCase(name: "upper-case chunk size", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nA\r\n0123456789\r\n0\r\n\r\n", status: 200, closes: false, body: "0123456789"),
    WireCase(name: "Transfer-Encoding case-insensitive", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: Chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", status: 200, closes: false, body: "ok"),
    WireCase(name: "invalid chunk size", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "chunk data without CRLF", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n2\r\nabcd\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "chunk size with sign", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n+2\r\nab\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "chunked body over the limit", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\n\r\n200000\r\n", status: 413, closes: true),

    // Smuggling vectors: ambiguous framing is refused and the connection closed.
    WireCase(name: "Content-Length with Transfer-Encoding", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "Transfer-Encoding before Content-Length", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "chunked applied twice", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "two Transfer-Encoding fields", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "chunked not last", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: chunked, gzip\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "unsupported coding before chunked", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n", status: 501, closes: true),
    WireCase(name: "unknown transfer coding", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding: xchunked\r\n\r\n0\r\n\r\n", status: 501, closes: true),
    WireCase(name: "Transfer-Encoding in HTTP/1.0", request: "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "Transfer-Encoding with vertical tab", request: "POST /echo HTTP/1.1\r\n\(host)Transfer-Encoding:\u{0B}chunked\r\n\r\n0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "duplicate Content-Length, different values", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", status: 400, closes: true),
    WireCase(name: "Content-Length list of differing values", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 5, 6\r\n\r\nhello!", status: 400, closes: true),
    WireCase(name: "Content-Length not a number", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: abc\r\n\r\n", status: 400, closes: true),
    WireCase(name: "Content-Length negative", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: -1\r\n\r\n", status: 400, closes: true),
    WireCase(name: "Content-Length with plus sign", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: +5\r\n\r\nhello", status: 400, closes: true),
    WireCase(name: "Content-Length in hex", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 0x5\r\n\r\nhello", status: 400, closes: true),
    WireCase(name: "obs-fold header", request: "GET /hello HTTP/1.1\r\n\(host)X-Folded: a\r\n b\r\n\r\n", status: 400, closes: true),
    WireCase(name: "space before colon", request: "GET /hello HTTP/1.1\r\n\(host)Content-Length : 0\r\n\r\n", status: 400, closes: true),
    WireCase(name: "bare LF line endings", request: "GET /hello HTTP/1.1\n\(host.replacingCRLF)\n", status: 400, closes: true),
    WireCase(name: "bare CR in a header value", request: "GET /hello HTTP/1.1\r\n\(host)X-A: a\rb\r\n\r\n", status: 400, closes: true),
    WireCase(name: "NUL in a header value", request: "GET /hello HTTP/1.1\r\n\(host)X-A: a\u{0}b\r\n\r\n", status: 400, closes: true),
    WireCase(name: "invalid header name", request: "GET /hello HTTP/1.1\r\n\(host)X(A): b\r\n\r\n", status: 400, closes: true),
    WireCase(name: "empty header name", request: "GET /hello HTTP/1.1\r\n\(host): b\r\n\r\n", status: 400, closes: true),
    WireCase(name: "header line without colon", request: "GET /hello HTTP/1.1\r\n\(host)NoColon\r\n\r\n", status: 400, closes: true),

    // Host.
    WireCase(name: "missing Host in 1.1", request: "GET /hello HTTP/1.1\r\n\r\n", status: 400, closes: true),
    WireCase(name: "duplicate Host", request: "GET /hello HTTP/1.1\r\n\(host)Host: other.test\r\n\r\n", status: 400, closes: true),
    WireCase(name: "invalid Host", request: "GET /hello HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400, closes: true),
    WireCase(name: "Host with userinfo", request: "GET /hello HTTP/1.1\r\nHost: user@example.test\r\n\r\n", status: 400, closes: true),
    WireCase(name: "Host with port", request: "GET /hello HTTP/1.1\r\nHost: example.test:8080\r\n\r\n", status: 200, closes: false),
    WireCase(name: "HTTP/1.0 needs no Host", request: "GET /hello HTTP/1.0\r\n\r\n", status: 200, closes: true),

    // Request line.
    WireCase(name: "HTTP/2.0 is 505", request: "GET /hello HTTP/2.0\r\n\(host)\r\n", status: 505, closes: true),
    WireCase(name: "HTTP/1.2 is 505", request: "GET /hello HTTP/1.2\r\n\(host)\r\n", status: 505, closes: true),
    WireCase(name: "FOO/1.1 is 400", request: "GET /hello FOO/1.1\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "lower-case protocol", request: "GET /hello http/1.1\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "double space in request line", request: "GET  /hello HTTP/1.1\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "missing version", request: "GET /hello\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "invalid method token", request: "G@T /hello HTTP/1.1\r\n\(host)\r\n", status: 400, closes: true),
    // RFC 9112 §3.2.2: absolute-form is accepted and routed on its path.
    WireCase(name: "absolute-form is routed on its path", request: "GET http://example.test/hello HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, body: "hello"),
    WireCase(name: "absolute-form authority replaces Host", request: "GET http://api.example.test:8080/path?a=1 HTTP/1.1\r\nHost: other.test\r\n\r\n", status: 200, closes: false, body: "/path?a=1"),
    WireCase(name: "absolute-form with another scheme", request: "GET ftp://example.test/hello HTTP/1.1\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "target without slash", request: "GET hello HTTP/1.1\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "control byte in target", request: "GET /he\u{7F}llo HTTP/1.1\r\n\(host)\r\n", status: 400, closes: true),
    WireCase(name: "unknown method on a known path is 405", request: "BREW / HTTP/1.1\r\n\(host)\r\n", status: 405, closes: false, header: ("allow", "GET, HEAD")),

    // Limits.
    WireCase(name: "long target is 414", request: "GET /\(String(repeating: "x", count: 9000)) HTTP/1.1\r\n\(host)\r\n", status: 414, closes: true),
    WireCase(name: "too many headers is 431", request: "GET /hello HTTP/1.1\r\n\(host)\((0..<70).map { "X-\($0): v\r\n" }.joined())\r\n", status: 431, closes: true),
    WireCase(name: "oversized header block is 431", request: "GET /hello HTTP/1.1\r\n\(host)X-Big: \(String(repeating: "b", count: 17_000))\r\n\r\n", status: 431, closes: true),
    WireCase(name: "body over the limit is 413 before it is sent", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 2000000\r\n\r\n", status: 413, closes: true),
    WireCase(name: "Content-Length too large to parse", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 99999999999999999999999\r\n\r\n", status: 400, closes: true),

    // Routing.
    WireCase(name: "unknown path is 404", request: "GET /nowhere HTTP/1.1\r\n\(host)\r\n", status: 404, closes: false),
    WireCase(name: "wrong method is 405 with Allow", request: "POST /hello HTTP/1.1\r\n\(host)Content-Length: 0\r\n\r\n", status: 405, closes: false, header: ("allow", "GET, DELETE, HEAD")),
    WireCase(name: "parameters are percent-decoded", request: "GET /segments/eu%20west/accounts/a%2Fb HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, body: "eu west|a/b"),
    WireCase(name: "invalid percent-encoding is 400", request: "GET /segments/%zz/accounts/a HTTP/1.1\r\n\(host)\r\n", status: 400, closes: false),
    WireCase(name: "HEAD on a GET route", request: "HEAD /big HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, isHead: true, header: ("content-length", "9000")),
    WireCase(name: "big response body", request: "GET /big HTTP/1.1\r\n\(host)\r\n", status: 200, closes: false, body: String(repeating: "bulkhead ", count: 1000)),
    WireCase(name: "large request body", request: "POST /echo HTTP/1.1\r\n\(host)Content-Length: 9000\r\n\r\n\(big)", status: 200, closes: false, body: big),
]

extension String {
    fileprivate var replacingCRLF: String { split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n") }
}

@Suite struct WireConformanceTests {
    @Test(arguments: wireCases)
    func conformance(_ wireCase: WireCase) async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send(wireCase.request)
            let response = try await client.readResponse(head: wireCase.isHead)
            #expect(response.status == wireCase.status, "\(wireCase.name)")
            if let body = wireCase.body { #expect(response.text == body, "\(wireCase.name)") }
            if let (name, value) = wireCase.header { #expect(response.header(name) == value, "\(wireCase.name)") }
            if response.status >= 400 && wireCase.closes {
                #expect(response.text.hasPrefix(#"{"error":{"code":""#), "\(wireCase.name)")
            }
            if wireCase.closes {
                #expect(response.header("connection") == "close", "\(wireCase.name)")
                #expect(await client.waitForClose(allowData: false), "\(wireCase.name): connection should close")
            } else {
                client.send("GET / HTTP/1.1\r\n\(host)\r\n")
                let next = try await client.readResponse()
                #expect(next.status == 200, "\(wireCase.name): connection should stay usable")
            }
        }
    }

    @Test func suiteIsLargeEnough() {
        #expect(wireCases.count >= 60)
    }
}
