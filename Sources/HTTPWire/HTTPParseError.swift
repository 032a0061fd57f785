/// A request the parser refuses: the server answers `status` with a JSON error and closes.
public struct HTTPParseError: Error, Sendable, Equatable {
    /// 400, 413, 414, 417, 431, 501 or 505.
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

/// The stable codes, one constructor each, so status and code never drift apart.
extension HTTPParseError {
    static func invalidRequestLine(_ message: String) -> Self { .init(status: 400, code: "invalid_request_line", message: message) }
    static func invalidTarget(_ message: String) -> Self { .init(status: 400, code: "invalid_target", message: message) }
    static func uriTooLong() -> Self { .init(status: 414, code: "uri_too_long", message: "request line too long") }
    static func unsupportedVersion() -> Self { .init(status: 505, code: "unsupported_version", message: "only HTTP/1.0 and HTTP/1.1 are supported") }
    static func invalidHeader(_ message: String) -> Self { .init(status: 400, code: "invalid_header", message: message) }
    static func headerTooLarge(_ message: String) -> Self { .init(status: 431, code: "header_too_large", message: message) }
    static func missingHost() -> Self { .init(status: 400, code: "missing_host", message: "HTTP/1.1 request without Host") }
    static func invalidHost(_ message: String) -> Self { .init(status: 400, code: "invalid_host", message: message) }
    static func invalidContentLength(_ message: String) -> Self { .init(status: 400, code: "invalid_content_length", message: message) }
    static func ambiguousFraming(_ message: String) -> Self { .init(status: 400, code: "ambiguous_framing", message: message) }
    static func invalidTransferEncoding(_ message: String) -> Self { .init(status: 400, code: "invalid_transfer_encoding", message: message) }
    static func unsupportedTransferEncoding() -> Self { .init(status: 501, code: "unsupported_transfer_encoding", message: "only the chunked transfer coding is supported") }
    static func bodyTooLarge() -> Self { .init(status: 413, code: "body_too_large", message: "request body exceeds the limit") }
    static func invalidChunk(_ message: String) -> Self { .init(status: 400, code: "invalid_chunk", message: message) }
    static func expectationFailed() -> Self { .init(status: 417, code: "expectation_failed", message: "only Expect: 100-continue is supported") }
}

extension HTTPParseError {
    /// `{"error":{"code":…,"message":…}}` — the API's error shape, for the server to send.
    public var jsonBody: [UInt8] {
        var out: [UInt8] = Array(#"{"error":{"code":""#.utf8)
        HTTPParseError.appendJSONEscaped(code, to: &out)
        out.append(contentsOf: #"","message":""#.utf8)
        HTTPParseError.appendJSONEscaped(message, to: &out)
        out.append(contentsOf: #""}}"#.utf8)
        return out
    }

    private static func appendJSONEscaped(_ text: String, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                out.append(UInt8(ascii: "\\"))
                out.append(byte)
            case 0..<0x20:
                out.append(contentsOf: #"\u00"#.utf8)
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default:
                out.append(byte)
            }
        }
    }
}
