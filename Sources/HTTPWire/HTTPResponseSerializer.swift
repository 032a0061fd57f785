/// Serializes responses into one buffer each (one `write` per response).
///
/// The serializer owns framing: it writes `Content-Length` (or, for streams,
/// `Transfer-Encoding: chunked`), `Connection` and `Date`, and skips those fields if the
/// application set them. CR, LF and NUL in application header names/values are replaced
/// by spaces so a value can never split the header block.
public enum HTTPResponseSerializer {
    /// Appends status line, headers and (unless HEAD/1xx/204/304) body to `buffer`.
    /// `date` is the cached IMF-fixdate value (`HTTPDate.imfFixdate`); empty omits `Date`.
    public static func serialize(
        status: Int, headers: [HTTPField], body: [UInt8], keepAlive: Bool, isHead: Bool,
        date: [UInt8], into buffer: inout [UInt8]
    ) {
        serialize(status: status, headers: headers, body: body, keepAlive: keepAlive, isHead: isHead,
                  version: .http11, date: date, into: &buffer)
    }

    /// As above, for a request of `version`: an HTTP/1.0 client that keeps the connection
    /// open gets `Connection: keep-alive` (1.0 closes by default).
    public static func serialize(
        status: Int, headers: [HTTPField], body: [UInt8], keepAlive: Bool, isHead: Bool,
        version: HTTPVersion, date: [UInt8], into buffer: inout [UInt8]
    ) {
        buffer.reserveCapacity(buffer.count + 128 + body.count + headers.count * 48)
        appendStatusLine(status, to: &buffer)
        appendApplicationHeaders(headers, to: &buffer)
        appendDate(date, to: &buffer)
        let hasBody = allowsBody(status)
        if hasBody {
            buffer.append(contentsOf: "Content-Length: ".utf8)
            appendDecimal(body.count, to: &buffer)
            buffer.append(contentsOf: crlf)
        }
        appendConnection(keepAlive: keepAlive, version: version, to: &buffer)
        buffer.append(contentsOf: crlf)
        if hasBody && !isHead { buffer.append(contentsOf: body) }
    }

    /// The head of a streamed response. HTTP/1.1 gets `Transfer-Encoding: chunked` (returns
    /// true: wrap each piece with `appendChunk` and end with `finalChunk`). HTTP/1.0 cannot
    /// do chunked, so the body is delimited by closing the connection (returns false: write
    /// pieces raw, then close).
    @discardableResult
    public static func serializeStreamHead(
        status: Int, headers: [HTTPField], version: HTTPVersion, keepAlive: Bool,
        date: [UInt8], into buffer: inout [UInt8]
    ) -> Bool {
        appendStatusLine(status, to: &buffer)
        appendApplicationHeaders(headers, to: &buffer)
        appendDate(date, to: &buffer)
        let chunked = version == .http11
        if chunked { buffer.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8) }
        appendConnection(keepAlive: chunked && keepAlive, version: version, to: &buffer)
        buffer.append(contentsOf: crlf)
        return chunked
    }

    /// `HEX-size CRLF` for a chunk of `count` bytes (`count` > 0).
    public static func chunkHeader(_ count: Int) -> [UInt8] {
        var out: [UInt8] = []
        appendHex(count, to: &out)
        out.append(contentsOf: crlf)
        return out
    }

    /// Appends one chunk (size line, data, CRLF); empty data appends nothing, since an
    /// empty chunk would end the body.
    public static func appendChunk(_ data: [UInt8], to buffer: inout [UInt8]) {
        guard !data.isEmpty else { return }
        appendHex(data.count, to: &buffer)
        buffer.append(contentsOf: crlf)
        buffer.append(contentsOf: data)
        buffer.append(contentsOf: crlf)
    }

    /// The last chunk and an empty trailer section.
    public static let finalChunk: [UInt8] = Array("0\r\n\r\n".utf8)

    /// The interim response for `Expect: 100-continue`.
    public static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    /// 1xx, 204 and 304 never carry a body or Content-Length.
    public static func allowsBody(_ status: Int) -> Bool {
        !(100..<200).contains(status) && status != 204 && status != 304
    }
}

extension HTTPResponseSerializer {
    private static let crlf: [UInt8] = [ByteClass.cr, ByteClass.lf]

    static func appendStatusLine(_ status: Int, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: "HTTP/1.1 ".utf8)
        let code = (100...999).contains(status) ? status : 500
        buffer.append(UInt8(ascii: "0") + UInt8(code / 100))
        buffer.append(UInt8(ascii: "0") + UInt8(code / 10 % 10))
        buffer.append(UInt8(ascii: "0") + UInt8(code % 10))
        buffer.append(ByteClass.space)
        let phrase = HTTPReasonPhrase.phrase(for: code)
        buffer.append(contentsOf: UnsafeBufferPointer(start: phrase.utf8Start, count: phrase.utf8CodeUnitCount))
        buffer.append(contentsOf: crlf)
    }

    static func appendApplicationHeaders(_ headers: [HTTPField], to buffer: inout [UInt8]) {
        for field in headers where !isFramingField(field.name) {
            appendSanitized(field.name, to: &buffer)
            buffer.append(contentsOf: ": ".utf8)
            appendSanitized(field.value, to: &buffer)
            buffer.append(contentsOf: crlf)
        }
    }

    static func appendDate(_ date: [UInt8], to buffer: inout [UInt8]) {
        guard !date.isEmpty else { return }
        buffer.append(contentsOf: "Date: ".utf8)
        buffer.append(contentsOf: date)
        buffer.append(contentsOf: crlf)
    }

    static func appendConnection(keepAlive: Bool, version: HTTPVersion, to buffer: inout [UInt8]) {
        if !keepAlive {
            buffer.append(contentsOf: "Connection: close\r\n".utf8)
        } else if version == .http10 {
            buffer.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
    }

    private static func isFramingField(_ name: String) -> Bool {
        var name = name
        return name.withUTF8 { bytes in
            switch bytes.count {
            case 4: ByteClass.equalsLowercase(bytes, "date")
            case 10: ByteClass.equalsLowercase(bytes, "connection")
            case 14: ByteClass.equalsLowercase(bytes, "content-length")
            case 17: ByteClass.equalsLowercase(bytes, "transfer-encoding")
            default: false
            }
        }
    }

    private static func appendSanitized(_ text: String, to buffer: inout [UInt8]) {
        for byte in text.utf8 {
            buffer.append(byte == ByteClass.cr || byte == ByteClass.lf || byte == 0 ? ByteClass.space : byte)
        }
    }

    static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
        if value >= 10 { appendDecimal(value / 10, to: &buffer) }
        buffer.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    static func appendHex(_ value: Int, to buffer: inout [UInt8]) {
        if value >= 16 { appendHex(value / 16, to: &buffer) }
        let digit = value % 16
        buffer.append(digit < 10 ? UInt8(ascii: "0") + UInt8(digit) : UInt8(ascii: "a") + UInt8(digit - 10))
    }
}
