import Testing
@testable import HTTPWire

/// Valid requests, each checked at every split point.
@Suite struct HTTPRequestParserValidTests {
    func parse(_ text: String, limits: HTTPLimits = HTTPLimits(), sourceLocation: SourceLocation = #_sourceLocation) -> ParseOutcome {
        let outcome = ParseOutcome.splitInvariant(Array(text.utf8), limits: limits, sourceLocation: sourceLocation)
        #expect(outcome.error == nil, "\(String(describing: outcome.error))", sourceLocation: sourceLocation)
        return outcome
    }

    @Test func simpleGet() throws {
        let outcome = parse("GET /v1/segments?x=1 HTTP/1.1\r\nHost: example.com\r\nAccept: */*\r\n\r\n")
        #expect(outcome.events.count == 1)
        let request = try #require(outcome.requests.first)
        #expect(request.method == "GET")
        #expect(request.target == "/v1/segments?x=1")
        #expect(request.version == .http11)
        #expect(request.headers == [["Host", "example.com"], ["Accept", "*/*"]])
        #expect(request.keepAlive)
        #expect(!request.expectsContinue)
        #expect(request.body.isEmpty)
        #expect(!outcome.partial)
    }

    /// RFC 9112 §3.2.2: a server MUST accept absolute-form; it routes on the path and the
    /// authority replaces Host (which is still required for 1.1 and still validated).
    @Test(arguments: [
        ("GET http://host/healthz HTTP/1.1\r\nHost: other\r\n\r\n", "/healthz", "host"),
        ("GET HTTP://Host:8080/v1/segments?x=1 HTTP/1.1\r\nHost: h\r\n\r\n", "/v1/segments?x=1", "Host:8080"),
        ("GET https://[::1]:443 HTTP/1.1\r\nHost: h\r\n\r\n", "/", "[::1]:443"),
        ("GET http://a?q=1 HTTP/1.0\r\n\r\n", "/?q=1", "a"),
    ])
    func absoluteForm(_ text: String, _ target: String, _ authority: String) throws {
        let outcome = parse(text)
        let request = try #require(outcome.requests.first)
        #expect(request.target == target)
        #expect(request.authority == authority)
        #expect(request.host == authority)
    }

    @Test func originFormHostComesFromTheField() throws {
        let request = try #require(parse("GET /x HTTP/1.1\r\nHost: example.com\r\n\r\n").requests.first)
        #expect(request.authority == nil && request.host == "example.com")
    }

    @Test func pathAndQuery() {
        let head = HTTPRequestHead(method: .get, target: "/a/b?c=d&e", version: .http11, headers: HTTPHeaders(), keepAlive: true, expectsContinue: false)
        #expect(head.path == "/a/b")
        #expect(head.query == "c=d&e")
    }

    @Test(arguments: [
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: Upgrade, CLOSE\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: foo\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: keep-alive\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: closed\r\n\r\n", true),
    ])
    func keepAlive(text: String, keepAlive: Bool) throws {
        let request = try #require(parse(text).requests.first)
        #expect(request.keepAlive == keepAlive)
    }

    @Test func contentLengthBody() throws {
        let outcome = parse("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nhello world")
        #expect(outcome.events.map(\.isHead) == [true, false])
        let request = try #require(outcome.requests.first)
        #expect(request.body == Array("hello world".utf8))
        #expect(outcome.events[0].method == "POST")
    }

    @Test func contentLengthZeroIsBodiless() {
        let outcome = parse("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\n\r\n")
        #expect(outcome.events.map(\.isHead) == [false])
    }

    @Test(arguments: [
        "Content-Length: 5\r\nContent-Length: 5\r\n",
        "Content-Length: 5, 5\r\n",
        "Content-Length: 5,5\r\nContent-Length: 5\r\n",
        "Content-Length: 005\r\n",
    ])
    func identicalDuplicateContentLengthAccepted(fields: String) throws {
        let outcome = parse("POST / HTTP/1.1\r\nHost: a\r\n\(fields)\r\nhello")
        #expect(try #require(outcome.requests.first).body == Array("hello".utf8))
    }

    @Test func chunkedBody() throws {
        let outcome = parse("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        #expect(outcome.events.map(\.isHead) == [true, false])
        #expect(try #require(outcome.requests.first).body == Array("hello world".utf8))
    }

    @Test func chunkedWithExtensionsTrailersAndUppercaseHex() throws {
        let text = "POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: Chunked\r\n\r\n"
            + "A;name=value\r\n0123456789\r\n1 ; a=\"q\"\r\nX\r\n00\r\nTrailer-One: x\r\nTrailer-Two: y\r\n\r\n"
        let request = try #require(parse(text).requests.first)
        #expect(request.body == Array("0123456789X".utf8))
        #expect(!request.headers.contains(["Trailer-One", "x"]))
    }

    @Test func emptyChunkedBody() throws {
        let outcome = parse("POST /c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        #expect(outcome.events.map(\.isHead) == [true, false])
        #expect(try #require(outcome.requests.first).body.isEmpty)
    }

    @Test func oneLeadingEmptyLineTolerated() throws {
        let request = try #require(parse("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").requests.first)
        #expect(request.target == "/")
    }

    @Test func pipelinedRequests() {
        let text = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\n"
            + "POST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /3 HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\ndef\r\n0\r\n\r\n"
            + "\r\nGET /4 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n"
        let outcome = parse(text)
        #expect(outcome.requests.map(\.target) == ["/1", "/2", "/3", "/4"])
        #expect(outcome.requests.map { String(decoding: $0.body, as: UTF8.self) } == ["", "abc", "def", ""])
        #expect(outcome.events.map(\.isHead) == [false, true, false, true, false, false])
        #expect(outcome.requests.map(\.keepAlive) == [true, true, true, false])
        #expect(!outcome.partial)
    }

    @Test func incompleteRequestIsPartial() {
        let outcome = ParseOutcome.splitInvariant(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nab".utf8))
        #expect(outcome.error == nil)
        #expect(outcome.events.map(\.isHead) == [true])
        #expect(outcome.partial)
    }

    @Test(arguments: [
        ("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n", "OPTIONS", "*"),
        ("PURGE /cache HTTP/1.1\r\nHost: a\r\n\r\n", "PURGE", "/cache"),
        ("DELETE /x HTTP/1.1\r\nHost: a\r\n\r\n", "DELETE", "/x"),
        ("PATCH /x HTTP/1.1\r\nHost: a\r\n\r\n", "PATCH", "/x"),
        ("PUT /x HTTP/1.1\r\nHost: a\r\n\r\n", "PUT", "/x"),
        ("HEAD /x HTTP/1.1\r\nHost: a\r\n\r\n", "HEAD", "/x"),
        ("get /x HTTP/1.1\r\nHost: a\r\n\r\n", "get", "/x"),
    ])
    func methodsAndTargets(text: String, method: String, target: String) throws {
        let request = try #require(parse(text).requests.first)
        #expect(request.method == method)
        #expect(request.target == target)
    }

    @Test func unknownMethodIsOther() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("PURGE / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        #expect(request.head.method == .other("PURGE"))
    }

    @Test(arguments: [
        ("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", true),
        ("POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\n\r\n", false),
        ("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi", false),
    ])
    func expectContinue(text: String, expects: Bool) throws {
        let outcome = parse(text)
        #expect(try #require(outcome.events.first).expectsContinue == expects)
    }

    @Test func headerValuesTrimmedAndKeptAsBytes() throws {
        let bytes = Array("GET / HTTP/1.1\r\nHost:   a:8080   \r\nX-Tab: a\tb\r\nX-Empty:\r\nX-Obs: caf\u{e9}\r\n\r\n".utf8)
        let outcome = ParseOutcome.splitInvariant(bytes)
        let request = try #require(outcome.requests.first)
        #expect(request.headers == [["Host", "a:8080"], ["X-Tab", "a\tb"], ["X-Empty", ""], ["X-Obs", "caf\u{e9}"]])
    }

    @Test(arguments: ["", "a", "a:80", "a:", "127.0.0.1:8080", "[::1]:8080", "[fe80::1%25eth0]", "xn--d1a.example", "a%20b"])
    func validHosts(host: String) {
        _ = parse("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
    }

    @Test func headersLookUpCaseInsensitively() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/1.1\r\nHost: a\r\ncontent-TYPE: application/json\r\nX-A: 1\r\nx-a: 2\r\n\r\n".utf8))
        guard case .request(let request) = try parser.next() else { Issue.record("no request"); return }
        let headers = request.head.headers
        #expect(headers.count == 4)
        #expect(headers.first("Content-Type") == "application/json")
        #expect(headers.first("CONTENT-TYPE") == "application/json")
        #expect(headers.first("content-typ") == nil)
        #expect(headers.values("X-A") == ["1", "2"])
        #expect(headers.firstBytes("x-a").map(Array.init) == Array("1".utf8))
        #expect(headers.contains("host"))
        #expect(!headers.contains("accept"))
    }

    @Test func exactLimitsAreAccepted() {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 14 // "GET / HTTP/1.1"
        limits.maxHeaderBytes = 11 // "Host: a\r\n" + "\r\n"
        limits.maxHeaderCount = 1
        limits.maxBodyBytes = 5
        let outcome = parse("GET / HTTP/1.1\r\nHost: a\r\n\r\n", limits: limits)
        #expect(outcome.requests.count == 1)
        limits.maxHeaderBytes = 100
        limits.maxRequestLineBytes = 15
        limits.maxHeaderCount = 2
        let chunked = parse("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n3\r\ncde\r\n0\r\n\r\n", limits: limits)
        #expect(chunked.requests.first?.body == Array("abcde".utf8))
        let fixed = parse("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nabcde", limits: limits)
        #expect(fixed.requests.first?.body == Array("abcde".utf8))
    }
}
