// Chunked request bodies (RFC 9112 §7.1): sizes bounded in digits, extensions bounded and
// ignored, trailers bounded, validated as fields and discarded.

extension HTTPRequestParser {
    /// `chunk-size [ BWS ";" ext ] CRLF`; returns false when more bytes are needed.
    mutating func readChunkSizeLine() throws(HTTPParseError) -> Bool {
        let bound = limits.maxChunkSizeDigits + limits.maxChunkExtensionBytes + 1
        guard let lf = findLineFeed() else {
            if writeIndex - readIndex > bound { throw .invalidChunk("chunk size line too long") }
            return false
        }
        if lf > bound { throw .invalidChunk("chunk size line too long") }
        let limits = limits
        let size = try withBytes(0..<lf) { (line) throws(HTTPParseError) -> Int in
            try Self.parseChunkSize(line, limits: limits)
        }
        consume(lf + 1)
        if size == 0 {
            trailerBytes = 0
            phase = .trailers
            return true
        }
        // Every earlier chunk is in `body` by now, so this is the running total.
        guard size <= limits.maxBodyBytes - body.count else { throw .bodyTooLarge() }
        phase = .chunkData(remaining: size)
        return true
    }

    static func parseChunkSize(_ line: UnsafeBufferPointer<UInt8>, limits: HTTPLimits) throws(HTTPParseError) -> Int {
        guard let last = line.last, last == ByteClass.cr else {
            throw .invalidChunk("chunk size line not terminated by CRLF")
        }
        let content = UnsafeBufferPointer(rebasing: line[..<(line.count - 1)])
        var digits = 0
        var size = 0
        while digits < content.count, let value = ByteClass.hexValue(content[digits]) {
            digits += 1
            if digits > limits.maxChunkSizeDigits { throw .invalidChunk("chunk size has too many digits") }
            let (shifted, overflow) = size.multipliedReportingOverflow(by: 16)
            if overflow { throw .bodyTooLarge() }
            size = shifted | value
        }
        guard digits > 0 else { throw .invalidChunk("invalid chunk size") }
        let extensions = content[digits...]
        if !extensions.isEmpty {
            guard extensions.count <= limits.maxChunkExtensionBytes else { throw .invalidChunk("chunk extension too long") }
            guard let semicolon = extensions.firstIndex(where: { !ByteClass.isWhitespace($0) }),
                  content[semicolon] == UInt8(ascii: ";")
            else { throw .invalidChunk("invalid chunk size") }
            guard extensions.allSatisfy(ByteClass.isFieldValue) else {
                throw .invalidChunk("invalid character in chunk extension")
            }
        }
        return size
    }

    /// The CRLF after chunk data; returns false when more bytes are needed.
    mutating func readChunkDataEnd() throws(HTTPParseError) -> Bool {
        let available = writeIndex - readIndex
        guard available > 0 else { return false }
        guard storage[readIndex] == ByteClass.cr else { throw .invalidChunk("chunk data not followed by CRLF") }
        guard available > 1 else { return false }
        guard storage[readIndex + 1] == ByteClass.lf else { throw .invalidChunk("chunk data not followed by CRLF") }
        consume(2)
        phase = .chunkSize
        return true
    }

    /// One trailer line; sets `phase = .head` after the closing empty line. Returns false
    /// when more bytes are needed.
    mutating func readTrailerLine() throws(HTTPParseError) -> Bool {
        guard let lf = findLineFeed() else {
            if trailerBytes + (writeIndex - readIndex) >= limits.maxTrailerBytes {
                throw .headerTooLarge("trailer section too large")
            }
            return false
        }
        if trailerBytes + lf + 1 > limits.maxTrailerBytes { throw .headerTooLarge("trailer section too large") }
        let isEnd = try withBytes(0..<lf) { (line) throws(HTTPParseError) -> Bool in
            guard let last = line.last, last == ByteClass.cr else {
                throw .invalidHeader("line not terminated by CRLF")
            }
            let content = UnsafeBufferPointer(rebasing: line[..<(line.count - 1)])
            if content.isEmpty { return true }
            _ = try Self.parseFieldLine(content, base: 0)
            return false
        }
        trailerBytes += lf + 1
        consume(lf + 1)
        if isEnd { phase = .head }
        return true
    }
}
