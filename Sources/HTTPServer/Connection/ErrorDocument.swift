import HTTPWire

/// The one renderer of the JSON error document every error response carries,
/// `{"error":{"code":…,"message":…}}`: the transport's own answers (parse errors, deadlines,
/// rate limits) and the application's (`APIError.body`) alike.
public enum ErrorDocument {
    public static func json(code: String, message: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(40 + code.utf8.count + message.utf8.count)
        out.append(contentsOf: #"{"error":{"code":"#.utf8)
        appendQuoted(code, to: &out)
        out.append(contentsOf: #","message":"#.utf8)
        appendQuoted(message, to: &out)
        out.append(contentsOf: "}}".utf8)
        return out
    }

    static func response(status: Int, code: String, message: String, extraHeaders: [HTTPField] = []) -> HTTPResponse {
        HTTPResponse(status: status,
                     headers: [HTTPField("Content-Type", "application/json")] + extraHeaders,
                     body: .bytes(json(code: code, message: message)))
    }

    /// A complete error response with `Connection: close`, for answers the server gives
    /// on its own (parse errors, deadlines, connection caps, plain HTTP on the TLS port).
    static func closingResponse(status: Int, code: String, message: String,
                                extraHeaders: [HTTPField] = [], date: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        HTTPResponseSerializer.serialize(
            status: status, headers: [HTTPField("Content-Type", "application/json")] + extraHeaders,
            body: json(code: code, message: message), keepAlive: false, isHead: false, date: date, into: &out)
        return out
    }

    private static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        let hex = Array("0123456789abcdef".utf8)
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case 0..<0x20:
                out.append(contentsOf: Array(#"\u00"#.utf8))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0xF)])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }
}
