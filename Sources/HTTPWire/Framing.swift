/// What the header section says about the message beyond its fields: body framing,
/// persistence and expectations. Strict where RFC 9112 allows ambiguity (request
/// smuggling lives in the gaps between lenient parsers).
///
/// Check order, first failure wins: CL+TE, TE in 1.0, TE syntax (400) then codings (501),
/// Content-Length syntax then conflicts, Host, body size (413), Expect (417).
/// Identical duplicate Content-Length values (separate fields or `5, 5`) are accepted.
struct Framing: Sendable {
    var body: BodyFraming
    var keepAlive: Bool
    var expectsContinue: Bool

    init(headers: HTTPHeaders, version: HTTPVersion, limits: HTTPLimits) throws(HTTPParseError) {
        var scan = FieldScan()
        headers.storage.withUnsafeBufferPointer { bytes in
            for range in headers.ranges {
                let name = UnsafeBufferPointer(rebasing: bytes[Int(range.nameStart)..<Int(range.nameEnd)])
                let value = UnsafeBufferPointer(rebasing: bytes[Int(range.valueStart)..<Int(range.valueEnd)])
                scan.add(name: name, value: value)
            }
        }

        if scan.sawTransferEncoding {
            if scan.sawContentLength { throw .ambiguousFraming("both Content-Length and Transfer-Encoding") }
            if version == .http10 { throw .ambiguousFraming("Transfer-Encoding in an HTTP/1.0 request") }
            if let problem = scan.transferEncodingProblem { throw .invalidTransferEncoding(problem) }
            if scan.unknownCoding { throw .unsupportedTransferEncoding() }
        }
        if let problem = scan.contentLengthProblem { throw .invalidContentLength(problem) }

        switch scan.hostCount {
        case 0 where version == .http11: throw .missingHost()
        case 0, 1: break
        default: throw .invalidHost("more than one Host field")
        }
        if scan.hostInvalid { throw .invalidHost("invalid Host") }

        if scan.sawTransferEncoding {
            body = .chunked
        } else if let length = scan.contentLength, length > 0 {
            guard length <= limits.maxBodyBytes else { throw .bodyTooLarge() }
            body = .length(length)
        } else {
            body = .none
        }
        if scan.unknownExpectation { throw .expectationFailed() }

        keepAlive = version == .http11 ? !scan.connectionClose : scan.connectionKeepAlive && !scan.connectionClose
        // RFC 9110 §10.1.1: a 1.0 client cannot handle 100 Continue; ignore the expectation.
        expectsContinue = version == .http11 && scan.expectsContinue && body != .none
    }
}

/// One pass over the fields, collecting what `Framing` decides on.
private struct FieldScan {
    var sawContentLength = false
    var contentLength: Int?
    var contentLengthProblem: String?
    var sawTransferEncoding = false
    var sawChunked = false
    var unknownCoding = false
    var transferEncodingProblem: String?
    var hostCount = 0
    var hostInvalid = false
    var connectionClose = false
    var connectionKeepAlive = false
    var expectsContinue = false
    var unknownExpectation = false

    mutating func add(name: UnsafeBufferPointer<UInt8>, value: UnsafeBufferPointer<UInt8>) {
        switch name.count {
        case 4 where ByteClass.equalsLowercase(name, "host"):
            hostCount += 1
            if !HostValidator.isValid(value) { hostInvalid = true }
        case 6 where ByteClass.equalsLowercase(name, "expect"):
            ListElements.forEach(in: value) { element in
                if element.isEmpty { return }
                if ByteClass.equalsLowercase(element, "100-continue") { expectsContinue = true } else { unknownExpectation = true }
            }
        case 10 where ByteClass.equalsLowercase(name, "connection"):
            ListElements.forEach(in: value) { element in
                if ByteClass.equalsLowercase(element, "close") { connectionClose = true }
                if ByteClass.equalsLowercase(element, "keep-alive") { connectionKeepAlive = true }
            }
        case 14 where ByteClass.equalsLowercase(name, "content-length"):
            sawContentLength = true
            ListElements.forEach(in: value) { element in addContentLength(element) }
        case 17 where ByteClass.equalsLowercase(name, "transfer-encoding"):
            sawTransferEncoding = true
            ListElements.forEach(in: value) { element in addCoding(element) }
        default:
            break
        }
    }

    private mutating func addContentLength(_ element: UnsafeBufferPointer<UInt8>) {
        guard contentLengthProblem == nil else { return }
        guard !element.isEmpty else {
            contentLengthProblem = "empty Content-Length"
            return
        }
        var length = 0
        for byte in element {
            guard ByteClass.isDigit(byte) else {
                contentLengthProblem = "Content-Length is not a decimal number"
                return
            }
            let (times10, o1) = length.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte &- UInt8(ascii: "0")))
            if o1 || o2 {
                contentLengthProblem = "Content-Length out of range"
                return
            }
            length = sum
        }
        if let contentLength, contentLength != length {
            contentLengthProblem = "conflicting Content-Length values"
            return
        }
        contentLength = length
    }

    private mutating func addCoding(_ element: UnsafeBufferPointer<UInt8>) {
        guard transferEncodingProblem == nil else { return }
        guard !element.isEmpty, element.allSatisfy(ByteClass.isToken) else {
            transferEncodingProblem = "malformed Transfer-Encoding"
            return
        }
        if sawChunked {
            // Anything after chunked (including a second chunked) leaves the length unknowable.
            transferEncodingProblem = "chunked must be the final transfer coding, applied once"
            return
        }
        if ByteClass.equalsLowercase(element, "chunked") { sawChunked = true } else { unknownCoding = true }
    }
}
