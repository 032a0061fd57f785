import HTTPWire

/// Status lines and heads the server writes itself: 100 Continue, streamed (chunked)
/// responses, and canned rejections written before any request is parsed.
enum ResponseHead {
    static let continue100: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// Head of a streamed response; `chunked` false means the body ends at close (HTTP/1.0).
    static func streaming(status: Int, headers: [HTTPField], chunked: Bool, keepAlive: Bool,
                          date: [UInt8], into out: inout [UInt8]) {
        statusLine(status, into: &out)
        for field in headers {
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
            out.append(contentsOf: "\r\n".utf8)
        }
        out.append(contentsOf: "Date: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\n".utf8)
        if chunked { out.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8) }
        out.append(contentsOf: (keepAlive ? "Connection: keep-alive\r\n\r\n" : "Connection: close\r\n\r\n").utf8)
    }

    /// A complete response with a JSON error body and `Connection: close`.
    static func closingError(status: Int, code: String, message: String, extraHeaders: [HTTPField] = [],
                             date: [UInt8]) -> [UInt8] {
        let body = ErrorBody.json(code: code, message: message)
        var out: [UInt8] = []
        statusLine(status, into: &out)
        for field in extraHeaders {
            out.append(contentsOf: "\(field.name): \(field.value)\r\n".utf8)
        }
        out.append(contentsOf: "Content-Type: application/json\r\nContent-Length: \(body.count)\r\nDate: ".utf8)
        out.append(contentsOf: date)
        out.append(contentsOf: "\r\nConnection: close\r\n\r\n".utf8)
        out.append(contentsOf: body)
        return out
    }

    static func chunk(_ bytes: [UInt8], into out: inout [UInt8]) {
        guard !bytes.isEmpty else { return }
        out.append(contentsOf: String(bytes.count, radix: 16).utf8)
        out.append(contentsOf: "\r\n".utf8)
        out.append(contentsOf: bytes)
        out.append(contentsOf: "\r\n".utf8)
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    private static func statusLine(_ status: Int, into out: inout [UInt8]) {
        out.append(contentsOf: "HTTP/1.1 \(status) \(reason(status))\r\n".utf8)
    }

    static func reason(_ status: Int) -> String {
        switch status {
        case 100: "Continue"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 304: "Not Modified"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 503: "Service Unavailable"
        case 505: "HTTP Version Not Supported"
        default: "Status"
        }
    }
}
