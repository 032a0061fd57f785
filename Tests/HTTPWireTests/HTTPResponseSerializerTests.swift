import Testing
@testable import HTTPWire

@Suite struct HTTPResponseSerializerTests {
    let date = HTTPDate.imfFixdate(epochSeconds: 784_111_777)

    func text(
        _ status: Int, headers: [HTTPField] = [], body: String = "", keepAlive: Bool = true, isHead: Bool = false,
        version: HTTPVersion = .http11, date: [UInt8]? = nil
    ) -> String {
        var buffer: [UInt8] = []
        HTTPResponseSerializer.serialize(
            status: status, headers: headers, body: Array(body.utf8), keepAlive: keepAlive, isHead: isHead,
            version: version, date: date ?? self.date, into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    @Test func okWithBody() {
        #expect(text(200, headers: [HTTPField("Content-Type", "application/json")], body: "{}")
            == "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 2\r\n\r\n{}")
    }

    @Test func contractSignatureWritesHTTP11Framing() {
        var buffer: [UInt8] = Array("prefix".utf8)
        HTTPResponseSerializer.serialize(status: 404, headers: [], body: Array("x".utf8), keepAlive: false, isHead: false, date: [], into: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "prefixHTTP/1.1 404 Not Found\r\nContent-Length: 1\r\nConnection: close\r\n\r\nx")
    }

    @Test func closeAndHTTP10KeepAlive() {
        #expect(text(500, keepAlive: false, date: []) == "HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        #expect(text(200, body: "a", version: .http10, date: []) == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: keep-alive\r\n\r\na")
        #expect(text(200, body: "a", keepAlive: false, version: .http10, date: []) == "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nConnection: close\r\n\r\na")
    }

    @Test func headAnnouncesLengthWithoutBody() {
        #expect(text(200, body: "hello", isHead: true, date: []) == "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n")
    }

    @Test(arguments: [100, 101, 204, 304])
    func bodilessStatuses(status: Int) {
        let output = text(status, body: "ignored", date: [])
        #expect(!output.contains("Content-Length"))
        #expect(!output.contains("ignored"))
        #expect(output.hasSuffix("\r\n\r\n"))
    }

    @Test(arguments: [
        (201, "Created"), (400, "Bad Request"), (413, "Content Too Large"), (414, "URI Too Long"),
        (417, "Expectation Failed"), (422, "Unprocessable Content"), (429, "Too Many Requests"),
        (431, "Request Header Fields Too Large"), (501, "Not Implemented"), (503, "Service Unavailable"),
        (505, "HTTP Version Not Supported"), (299, "Success"), (499, "Client Error"),
    ])
    func reasonPhrases(status: Int, phrase: String) {
        #expect(text(status, date: []).hasPrefix("HTTP/1.1 \(status) \(phrase)\r\n"))
    }

    @Test func framingFieldsFromTheApplicationAreReplacedAndInjectionIsDefused() {
        let output = text(200, headers: [
            HTTPField("content-length", "999"), HTTPField("Connection", "upgrade"), HTTPField("Transfer-Encoding", "gzip"),
            HTTPField("Date", "yesterday"), HTTPField("X-Evil", "a\r\nSet-Cookie: x"),
        ], body: "ok", date: [])
        #expect(output == "HTTP/1.1 200 OK\r\nX-Evil: a  Set-Cookie: x\r\nContent-Length: 2\r\n\r\nok")
    }

    @Test func streamHeadAndChunks() {
        var buffer: [UInt8] = []
        let chunked = HTTPResponseSerializer.serializeStreamHead(
            status: 200, headers: [HTTPField("Content-Type", "text/event-stream")], version: .http11, keepAlive: true, date: [], into: &buffer)
        #expect(chunked)
        HTTPResponseSerializer.appendChunk(Array(String(repeating: "x", count: 26).utf8), to: &buffer)
        HTTPResponseSerializer.appendChunk([], to: &buffer)
        buffer += HTTPResponseSerializer.chunkHeader(1) + Array("y\r\n".utf8) + HTTPResponseSerializer.finalChunk
        #expect(String(decoding: buffer, as: UTF8.self)
            == "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n\(String(repeating: "x", count: 26))\r\n1\r\ny\r\n0\r\n\r\n")

        var old: [UInt8] = []
        #expect(!HTTPResponseSerializer.serializeStreamHead(status: 200, headers: [], version: .http10, keepAlive: true, date: [], into: &old))
        #expect(String(decoding: old, as: UTF8.self) == "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n")
    }

    @Test func chunkHeaders() {
        #expect(HTTPResponseSerializer.chunkHeader(1) == Array("1\r\n".utf8))
        #expect(HTTPResponseSerializer.chunkHeader(255) == Array("ff\r\n".utf8))
        #expect(HTTPResponseSerializer.chunkHeader(4096) == Array("1000\r\n".utf8))
        #expect(HTTPResponseSerializer.continueResponse == Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
    }

    /// Serialized chunked output parses back through our own parser as a request body.
    @Test func chunksRoundTripThroughTheParser() throws {
        var wire = Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
        HTTPResponseSerializer.appendChunk(Array(repeating: 7, count: 300), to: &wire)
        HTTPResponseSerializer.appendChunk([1, 2, 3], to: &wire)
        wire += HTTPResponseSerializer.finalChunk
        let outcome = ParseOutcome.splitInvariant(wire)
        #expect(try #require(outcome.requests.first).body == Array(repeating: 7, count: 300) + [1, 2, 3])
    }

    // Checked against Python's email.utils.formatdate(…, usegmt=True).
    @Test(arguments: [
        (Int64(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT"),
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (1_795_539_600, "Tue, 24 Nov 2026 17:00:00 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
    ])
    func imfFixdate(seconds: Int64, expected: String) {
        #expect(String(decoding: HTTPDate.imfFixdate(epochSeconds: seconds), as: UTF8.self) == expected)
    }
}
