// Request line and header section, line by line as CRLF-terminated lines arrive.
//
// Split independence: a line is judged only once its LF is in, except for the size
// limits, which are checked both on partial input and on complete lines with rules
// arranged so that a partial trip implies the complete-line trip with the same error.

extension HTTPRequestParser {
    struct RequestLine: Sendable {
        var method: HTTPMethod
        /// Origin-form (`/path?query`), or `*`; an absolute-form target is reduced to it.
        var target: String
        var version: HTTPVersion
        /// The authority of an absolute-form target (RFC 9112 §3.2.2), else `nil`.
        var authority: String? = nil
    }

    /// Parses head lines until the head is complete; `nil` when more bytes are needed.
    mutating func parseHead() throws(HTTPParseError) -> (HTTPRequestHead, BodyFraming)? {
        while true {
            guard let lf = findLineFeed() else {
                try checkPartialHeadLine()
                return nil
            }
            switch headStage {
            case .requestLine:
                try processRequestLine(endingAt: lf)
            case .headers:
                if try processHeaderLine(endingAt: lf) {
                    return try finishHead(end: lf + 1)
                }
                lineStart = lf + 1
                scanFrom = lineStart
            }
        }
    }

    private func checkPartialHeadLine() throws(HTTPParseError) {
        let buffered = writeIndex - readIndex
        switch headStage {
        case .requestLine:
            if buffered - lineStart > limits.maxRequestLineBytes + 1 {
                throw requestLineOverflow()
            }
        case .headers:
            if buffered - headerSectionStart >= limits.maxHeaderBytes {
                throw .headerTooLarge("header section too large")
            }
        }
    }

    /// Too long: 414, unless the method already shows the line is garbage. Judged on the
    /// first `maxRequestLineBytes` bytes only, so the answer does not depend on the split.
    private func requestLineOverflow() -> HTTPParseError {
        let prefix = min(limits.maxRequestLineBytes, writeIndex - readIndex - lineStart)
        let garbage = storage.withUnsafeBufferPointer { bytes in
            let start = readIndex + lineStart
            var index = start
            while index < start + prefix, bytes[index] != ByteClass.space {
                if !ByteClass.isToken(bytes[index]) { return true }
                index += 1
            }
            return index == start && prefix > 0
        }
        return garbage ? .invalidRequestLine("invalid method") : .uriTooLong()
    }

    private mutating func processRequestLine(endingAt lf: Int) throws(HTTPParseError) {
        if lf - lineStart > limits.maxRequestLineBytes + 1 { throw requestLineOverflow() }
        let line = try withBytes(lineStart..<lf) { (bytes) throws(HTTPParseError) in
            try Self.parseRequestLine(bytes)
        }
        guard let line else {
            // RFC 9112 §2.2: tolerate one empty line before the request line, no more.
            if skippedEmptyLine { throw .invalidRequestLine("empty lines before the request line") }
            skippedEmptyLine = true
            consume(lf + 1)
            return
        }
        requestLine = line
        headStage = .headers
        lineStart = lf + 1
        scanFrom = lineStart
        headerSectionStart = lineStart
    }

    /// `method SP request-target SP HTTP-version CR` (the LF excluded); `nil` for an empty line.
    static func parseRequestLine(_ line: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> RequestLine? {
        guard let last = line.last, last == ByteClass.cr else {
            throw .invalidRequestLine("line not terminated by CRLF")
        }
        let content = UnsafeBufferPointer(rebasing: line[..<(line.count - 1)])
        if content.isEmpty { return nil }

        guard let firstSpace = content.firstIndex(of: ByteClass.space) else {
            throw .invalidRequestLine("malformed request line")
        }
        let methodBytes = UnsafeBufferPointer(rebasing: content[..<firstSpace])
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ByteClass.isToken) else {
            throw .invalidRequestLine("invalid method")
        }
        let afterMethod = content[(firstSpace + 1)...]
        guard let secondSpace = afterMethod.firstIndex(of: ByteClass.space) else {
            throw .invalidRequestLine("malformed request line")
        }
        let targetBytes = UnsafeBufferPointer(rebasing: content[(firstSpace + 1)..<secondSpace])
        let versionBytes = UnsafeBufferPointer(rebasing: content[(secondSpace + 1)...])
        let version = try parseVersion(versionBytes)

        guard !targetBytes.isEmpty, targetBytes.allSatisfy(ByteClass.isTargetByte) else {
            throw .invalidTarget("invalid request-target")
        }
        let method = HTTPMethod(token: methodBytes)
        if targetBytes[0] != UInt8(ascii: "/") {
            if let absolute = try AbsoluteForm(targetBytes) {
                return RequestLine(method: method, target: absolute.originForm, version: version, authority: absolute.authority)
            }
            guard targetBytes.count == 1, targetBytes[0] == UInt8(ascii: "*") else {
                throw .invalidTarget("request-target must be in origin-form or absolute-form")
            }
            guard method == .options else { throw .invalidTarget("asterisk-form is only for OPTIONS") }
        }
        return RequestLine(method: method, target: String(decoding: targetBytes, as: UTF8.self), version: version)
    }

    /// `HTTP/DIGIT.DIGIT`, case-sensitive; well-formed but not 1.0/1.1 → 505.
    static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        guard bytes.count == 8, bytes[0] == UInt8(ascii: "H"), bytes[1] == UInt8(ascii: "T"),
              bytes[2] == UInt8(ascii: "T"), bytes[3] == UInt8(ascii: "P"), bytes[4] == UInt8(ascii: "/"),
              ByteClass.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), ByteClass.isDigit(bytes[7])
        else { throw .invalidRequestLine("invalid HTTP version") }
        switch (bytes[5], bytes[7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http11
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http10
        default: throw .unsupportedVersion()
        }
    }

    /// Returns true on the empty line that ends the head.
    private mutating func processHeaderLine(endingAt lf: Int) throws(HTTPParseError) -> Bool {
        if lf + 1 - headerSectionStart > limits.maxHeaderBytes {
            throw .headerTooLarge("header section too large")
        }
        let base = lineStart - headerSectionStart
        let overLimit = fieldScratch.count >= limits.maxHeaderCount
        let field = try withBytes(lineStart..<lf) { (bytes) throws(HTTPParseError) -> HTTPHeaders.FieldRange? in
            guard let last = bytes.last, last == ByteClass.cr else {
                throw .invalidHeader("line not terminated by CRLF")
            }
            let content = UnsafeBufferPointer(rebasing: bytes[..<(bytes.count - 1)])
            if content.isEmpty { return nil }
            if overLimit { throw .headerTooLarge("too many header fields") }
            return try Self.parseFieldLine(content, base: base)
        }
        guard let field else { return true }
        fieldScratch.append(field)
        return false
    }

    /// `field-name ":" OWS field-value OWS` (CRLF excluded); offsets shifted by `base`.
    static func parseFieldLine(_ line: UnsafeBufferPointer<UInt8>, base: Int) throws(HTTPParseError) -> HTTPHeaders.FieldRange {
        if ByteClass.isWhitespace(line[0]) { throw .invalidHeader("obsolete line folding is not allowed") }
        var colon = 0
        while colon < line.count, line[colon] != ByteClass.colon {
            let byte = line[colon]
            if ByteClass.isWhitespace(byte) { throw .invalidHeader("whitespace before colon in header field") }
            if !ByteClass.isToken(byte) { throw .invalidHeader("invalid character in header field name") }
            colon += 1
        }
        guard colon < line.count else { throw .invalidHeader("header field without colon") }
        guard colon > 0 else { throw .invalidHeader("empty header field name") }
        var valueStart = colon + 1
        while valueStart < line.count, ByteClass.isWhitespace(line[valueStart]) { valueStart += 1 }
        var valueEnd = line.count
        while valueEnd > valueStart, ByteClass.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        for index in valueStart..<valueEnd where !ByteClass.isFieldValue(line[index]) {
            throw .invalidHeader("invalid character in header field value")
        }
        return HTTPHeaders.FieldRange(
            nameStart: Int32(base), nameEnd: Int32(base + colon),
            valueStart: Int32(base + valueStart), valueEnd: Int32(base + valueEnd)
        )
    }

    private mutating func finishHead(end: Int) throws(HTTPParseError) -> (HTTPRequestHead, BodyFraming) {
        let section = Array(storage[(readIndex + headerSectionStart)..<(readIndex + end)])
        let headers = HTTPHeaders(storage: section, ranges: fieldScratch)
        fieldScratch.removeAll(keepingCapacity: true)
        let line = requestLine!
        requestLine = nil
        headStage = .requestLine
        skippedEmptyLine = false
        headerSectionStart = 0
        consume(end)

        let framing = try Framing(headers: headers, version: line.version, limits: limits)
        let head = HTTPRequestHead(
            method: line.method, target: line.target, version: line.version, headers: headers,
            keepAlive: framing.keepAlive, expectsContinue: framing.expectsContinue, authority: line.authority
        )
        return (head, framing.body)
    }
}
