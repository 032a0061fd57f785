import Testing
@testable import HTTPWire

/// Invalid requests with the exact status and code, each checked at every split point.
@Suite struct HTTPRequestParserInvalidTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var text: String
        var status: Int
        var code: String
        var limits = HTTPLimits()
        var testDescription: String { "\(status) \(code): \(text.debugDescription.prefix(70))" }
    }

    static func head(_ fields: String, version: String = "HTTP/1.1") -> String {
        "POST / \(version)\r\nHost: a\r\n\(fields)\r\n"
    }

    static let smallLimits: HTTPLimits = {
        var limits = HTTPLimits()
        limits.maxRequestLineBytes = 32
        limits.maxHeaderBytes = 64
        limits.maxHeaderCount = 3
        limits.maxBodyBytes = 10
        limits.maxChunkSizeDigits = 4
        limits.maxChunkExtensionBytes = 8
        limits.maxTrailerBytes = 24
        return limits
    }()

    static let framing: [Case] = [
        Case(text: head("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n") + "0\r\n\r\n", status: 400, code: "ambiguous_framing"),
        Case(text: head("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n") + "0\r\n\r\n", status: 400, code: "ambiguous_framing"),
        Case(text: head("Transfer-Encoding: chunked\r\nContent-Length: x\r\n"), status: 400, code: "ambiguous_framing"),
        Case(text: "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 400, code: "ambiguous_framing"),
        Case(text: head("Transfer-Encoding: gzip\r\n"), status: 501, code: "unsupported_transfer_encoding"),
        Case(text: head("Transfer-Encoding: gzip, chunked\r\n"), status: 501, code: "unsupported_transfer_encoding"),
        Case(text: head("Transfer-Encoding: identity\r\n"), status: 501, code: "unsupported_transfer_encoding"),
        Case(text: head("Transfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n"), status: 501, code: "unsupported_transfer_encoding"),
        Case(text: head("Transfer-Encoding: chunked, chunked\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Transfer-Encoding: chunked, gzip\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Transfer-Encoding: chunked,\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Transfer-Encoding:\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Transfer-Encoding: \"chunked\"\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Transfer-Encoding: chunked;q=1\r\n"), status: 400, code: "invalid_transfer_encoding"),
        Case(text: head("Content-Length: +5\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: -1\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 5 5\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 0x5\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length:\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 5,\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 5, 6\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 5\r\nContent-Length: 6\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 99999999999999999999\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 1.5\r\n"), status: 400, code: "invalid_content_length"),
        Case(text: head("Content-Length: 11\r\n"), status: 413, code: "body_too_large", limits: smallLimits),
        Case(text: "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n6\r\n", status: 413, code: "body_too_large", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "fffffffffffffffff\r\n", status: 400, code: "invalid_chunk"),
    ]

    static let chunks: [Case] = [
        Case(text: head("Transfer-Encoding: chunked\r\n") + "+5\r\nhello\r\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "0x5\r\nhello\r\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "5 5\r\nhello\r\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "\r\nhello\r\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "5\nhello\r\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "5\r\nhelloXY0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "5\r\nhello\rX0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "5\r\nhello\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "5;a\0b\r\nhello\r\n0\r\n\r\n", status: 400, code: "invalid_chunk"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "00001\r\na\r\n0\r\n\r\n", status: 400, code: "invalid_chunk", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "1;123456789\r\na\r\n0\r\n\r\n", status: 400, code: "invalid_chunk", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "1;1234567890123456789\r\na\r\n0\r\n\r\n", status: 400, code: "invalid_chunk", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "1" + String(repeating: "0", count: 40), status: 400, code: "invalid_chunk", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "0\r\nA: 1234567890123456789\r\n\r\n", status: 431, code: "header_too_large", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "0\r\nA: 12345678901234567890123456789", status: 431, code: "header_too_large", limits: smallLimits),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "0\r\n folded\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "0\r\nA: b\n\r\n", status: 400, code: "invalid_header"),
        Case(text: head("Transfer-Encoding: chunked\r\n") + "0\r\nA b: c\r\n\r\n", status: 400, code: "invalid_header"),
    ]

    static let headers: [Case] = [
        Case(text: "GET / HTTP/1.1\r\nHost : a\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n  continued\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\n Host: a\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\nX: b\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\n\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\0b\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7f}b\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{1}b\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX(Y): z\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX/Y: z\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\n: z\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nNoColon\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX\u{e9}: z\r\n\r\n", status: 400, code: "invalid_header"),
        Case(text: "GET / HTTP/1.1\r\n\r\n", status: 400, code: "missing_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: user@a\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a:http\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a:123456\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: [::1\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a%zz\r\n\r\n", status: 400, code: "invalid_host"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nExpect: fancy\r\n\r\n", status: 417, code: "expectation_failed"),
        Case(text: "POST / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue, x\r\nContent-Length: 1\r\n\r\na", status: 417, code: "expectation_failed"),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", status: 431, code: "header_too_large", limits: smallLimits),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: bad\0\r\n\r\n", status: 431, code: "header_too_large", limits: smallLimits),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 60) + "\r\n\r\n", status: 431, code: "header_too_large", limits: smallLimits),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 60), status: 431, code: "header_too_large", limits: smallLimits),
        Case(text: "GET / HTTP/1.1\r\nHost: a\r\nX: " + String(repeating: "v", count: 20_000) + "\r\n\r\n", status: 431, code: "header_too_large"),
        Case(text: "GET / HTTP/1.1\r\n" + String(repeating: "X: 1\r\n", count: 65) + "Host: a\r\n\r\n", status: 431, code: "header_too_large"),
    ]

    static let requestLines: [Case] = [
        Case(text: "GET / HTTP/2.0\r\nHost: a\r\n\r\n", status: 505, code: "unsupported_version"),
        Case(text: "GET / HTTP/1.2\r\nHost: a\r\n\r\n", status: 505, code: "unsupported_version"),
        Case(text: "GET / HTTP/0.9\r\nHost: a\r\n\r\n", status: 505, code: "unsupported_version"),
        Case(text: "GET / FOO/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET / http/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET / HTTP/1.10\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET / HTTP/1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET / HTTP/1.1 \r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET /\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: " GET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GE(T / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET / HTTP/1.1\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET / HTTP/1.1\rHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "\u{16}\u{3}\u{1}\u{2}\0\u{1}\0\u{1}\u{fc}\u{3}\u{3}" + String(repeating: "\u{1}", count: 60), status: 400, code: "invalid_request_line", limits: smallLimits),
        Case(text: "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET /a b HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_request_line"),
        Case(text: "GET /caf\u{e9} HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET /a\0 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET ftp://a/ HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET http:///x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET http://u@a/x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET http:/a/x HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET http://a/x HTTP/1.1\r\n\r\n", status: 400, code: "missing_host"),
        Case(text: "CONNECT a:443 HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET * HTTP/1.1\r\nHost: a\r\n\r\n", status: 400, code: "invalid_target"),
        Case(text: "GET /" + String(repeating: "a", count: 40) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414, code: "uri_too_long", limits: smallLimits),
        Case(text: "GET /" + String(repeating: "a", count: 40), status: 414, code: "uri_too_long", limits: smallLimits),
        Case(text: "GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\nHost: a\r\n\r\n", status: 414, code: "uri_too_long"),
        Case(text: "GET /" + String(repeating: "a", count: 26) + " HTTP/1.1\n", status: 414, code: "uri_too_long", limits: smallLimits),
    ]

    @Test(arguments: framing + chunks + headers + requestLines)
    func rejects(_ testCase: Case) throws {
        let outcome = ParseOutcome.splitInvariant(Array(testCase.text.utf8), limits: testCase.limits)
        let error = try #require(outcome.error, "\(outcome)")
        #expect(error.status == testCase.status, "\(error)")
        #expect(error.code == testCase.code, "\(error)")
        #expect(outcome.requests.isEmpty)
    }

    @Test func errorIsSticky() {
        var parser = HTTPRequestParser()
        parser.append(Array("GET / HTTP/9.9\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        #expect(throws: HTTPParseError.unsupportedVersion()) { try parser.next() }
        #expect(throws: HTTPParseError.unsupportedVersion()) { try parser.next() }
    }

    @Test func headIsEmittedBeforeBodyErrors() {
        var limits = HTTPLimits()
        limits.maxBodyBytes = 4
        let outcome = ParseOutcome.splitInvariant(
            Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n".utf8), limits: limits)
        #expect(outcome.events.map(\.isHead) == [true])
        #expect(outcome.error?.status == 413)
    }

    @Test func errorJSONBody() {
        let error = HTTPParseError(status: 400, code: "invalid_header", message: "bad \"x\"\n")
        #expect(String(decoding: error.jsonBody, as: UTF8.self) == #"{"error":{"code":"invalid_header","message":"bad \"x\"\u000a"}}"#)
    }
}
