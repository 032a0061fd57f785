/// Incremental request parser: feed any byte slices; the result does not depend on where
/// the input was split.
///
/// Bytes live in one reusable buffer and are parsed in place; only the header section is
/// copied once per request (into `HTTPHeaders`). Usage by a connection:
///
///     parser.append(bytesFromSocket)          // or appendBytes(minimumCapacity:_:)
///     while let event = try parser.next() { … }
///
/// Event sequence per request:
/// - no body announced (no `Transfer-Encoding: chunked`, no `Content-Length` or `0`):
///   exactly one `.request` with an empty body;
/// - body announced: `.head(head)` as soon as the head is complete and valid (so the
///   server can send `100 Continue` or stop reading), then `.request` once the whole
///   body has arrived (chunked bodies de-chunked, trailers discarded);
/// - anything invalid: `next()` throws an `HTTPParseError` and keeps throwing it; the
///   server answers `status` and closes.
///
/// After `.request`, bytes already buffered start the next request (pipelining). Body
/// bytes are moved out of the buffer as `next()` sees them, so as long as the caller
/// drains `next()` after every append, the buffer holds at most one read plus one
/// unfinished head (bounded by the limits). Calling `next()` a second time with no
/// new bytes returns `nil`.
public struct HTTPRequestParser: Sendable {
    enum Phase: Sendable {
        case head
        case fixedBody(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
    }

    enum HeadStage: Sendable {
        case requestLine
        case headers
    }

    let limits: HTTPLimits
    /// Zero-filled storage; readable bytes are `storage[readIndex..<writeIndex]`.
    var storage: [UInt8] = []
    var readIndex = 0
    var writeIndex = 0
    var failure: HTTPParseError?
    var phase = Phase.head

    // Line scanning; offsets relative to `readIndex`.
    var lineStart = 0
    var scanFrom = 0

    // Head in progress.
    var headStage = HeadStage.requestLine
    var skippedEmptyLine = false
    var headerSectionStart = 0
    var fieldScratch: [HTTPHeaders.FieldRange] = []
    var requestLine: RequestLine?

    // Body in progress.
    var pendingHead: HTTPRequestHead?
    var body: [UInt8] = []
    var trailerBytes = 0

    public init(limits: HTTPLimits = HTTPLimits()) {
        var limits = limits
        // Header offsets are stored as Int32.
        limits.maxHeaderBytes = min(max(limits.maxHeaderBytes, 0), Int(Int32.max) / 2)
        self.limits = limits
    }

    /// Appends bytes received from the socket.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard !bytes.isEmpty else { return }
        reserveTail(bytes.count)
        let start = writeIndex
        storage.withUnsafeMutableBytes { destination in
            UnsafeMutableRawBufferPointer(rebasing: destination[start..<(start + bytes.count)]).copyMemory(from: bytes)
        }
        writeIndex += bytes.count
    }

    /// Appends bytes from an array (tests, small inputs).
    public mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    /// Lets the caller read straight into the buffer: `fill` gets at least
    /// `minimumCapacity` free bytes and returns how many it wrote (e.g. `read(2)`'s result).
    @discardableResult
    public mutating func appendBytes<E: Error>(
        minimumCapacity: Int, _ fill: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        reserveTail(max(minimumCapacity, 1))
        let start = writeIndex
        // withUnsafeMutableBytes only rethrows untyped errors; carry E out as a Result.
        let result: Result<Int, E> = storage.withUnsafeMutableBytes { bytes in
            do throws(E) {
                return .success(try fill(UnsafeMutableRawBufferPointer(rebasing: bytes[start...])))
            } catch {
                return .failure(error)
            }
        }
        let written = try result.get()
        writeIndex += max(0, min(written, storage.count - start))
        return written
    }

    /// The next event, or `nil` when more bytes are needed. After a thrown error the
    /// connection must be answered and closed.
    public mutating func next() throws(HTTPParseError) -> HTTPParserEvent? {
        if let failure { throw failure }
        do throws(HTTPParseError) {
            return try advance()
        } catch {
            failure = error
            throw error
        }
    }

    /// Bytes buffered but not yet consumed (for pipelining and limits).
    public var bufferedByteCount: Int { writeIndex - readIndex }

    /// Whether part of a request has been received (head or body bytes), as opposed to
    /// sitting idle between requests.
    public var hasPartialRequest: Bool {
        if case .head = phase { return writeIndex > readIndex }
        return true
    }

    /// The limits in force (after clamping).
    public var activeLimits: HTTPLimits { limits }
}

extension HTTPRequestParser {
    mutating func advance() throws(HTTPParseError) -> HTTPParserEvent? {
        while true {
            switch phase {
            case .head:
                guard let (head, framing) = try parseHead() else { return nil }
                switch framing {
                case .none:
                    return .request(HTTPRequest(head: head, body: []))
                case .length(let length):
                    startBody(head, reserving: length)
                    phase = .fixedBody(remaining: length)
                    return .head(head)
                case .chunked:
                    startBody(head, reserving: 0)
                    phase = .chunkSize
                    return .head(head)
                }
            case .fixedBody(let remaining):
                let taken = takeBodyBytes(upTo: remaining)
                if taken == remaining { return completeRequest() }
                phase = .fixedBody(remaining: remaining - taken)
                return nil
            case .chunkSize:
                guard try readChunkSizeLine() else { return nil }
            case .chunkData(let remaining):
                let taken = takeBodyBytes(upTo: remaining)
                if taken == 0 { return nil }
                phase = taken == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - taken)
            case .chunkDataEnd:
                guard try readChunkDataEnd() else { return nil }
            case .trailers:
                guard try readTrailerLine() else { return nil }
                if case .head = phase { return completeRequest() }
            }
        }
    }

    private mutating func startBody(_ head: HTTPRequestHead, reserving length: Int) {
        pendingHead = head
        body = []
        // Reserve what is announced only up to a modest size: an announced body that never
        // arrives must not pin memory.
        body.reserveCapacity(min(length, 64 * 1024))
    }

    private mutating func completeRequest() -> HTTPParserEvent {
        phase = .head
        let head = pendingHead!
        pendingHead = nil
        let whole = body
        body = []
        return .request(HTTPRequest(head: head, body: whole))
    }

    /// Moves up to `limit` buffered bytes into the body; returns how many.
    private mutating func takeBodyBytes(upTo limit: Int) -> Int {
        let count = min(limit, writeIndex - readIndex)
        guard count > 0 else { return 0 }
        body.append(contentsOf: storage[readIndex..<(readIndex + count)])
        consume(count)
        return count
    }
}

extension HTTPRequestParser {
    /// Drops `count` parsed bytes; line scanning restarts at the new read position.
    mutating func consume(_ count: Int) {
        readIndex += count
        lineStart = 0
        scanFrom = 0
        if readIndex == writeIndex {
            readIndex = 0
            writeIndex = 0
            // A burst (large body read) may have grown the buffer; give it back when idle.
            if storage.count > 256 * 1024 { storage = [] }
        }
    }

    /// Makes room for `count` more bytes: first by moving live bytes to the front, then by
    /// growing. Offsets are relative to `readIndex`, so moving does not invalidate them.
    private mutating func reserveTail(_ count: Int) {
        if storage.count - writeIndex >= count { return }
        if readIndex > 0 {
            let live = writeIndex - readIndex
            let from = readIndex
            storage.withUnsafeMutableBufferPointer { bytes in
                for i in 0..<live { bytes[i] = bytes[from + i] }
            }
            readIndex = 0
            writeIndex = live
            if storage.count - writeIndex >= count { return }
        }
        let wanted = max(storage.count * 2, writeIndex + count, 4096)
        var grown = [UInt8](repeating: 0, count: wanted)
        let live = writeIndex
        if live > 0 {
            grown.withUnsafeMutableBytes { destination in
                storage.withUnsafeBytes { source in
                    destination.baseAddress!.copyMemory(from: source.baseAddress!, byteCount: live)
                }
            }
        }
        storage = grown
    }

    /// Relative offset of the next LF at or after `scanFrom`; remembers how far it looked.
    mutating func findLineFeed() -> Int? {
        let start = readIndex + scanFrom
        let end = writeIndex
        let found: Int? = storage.withUnsafeBufferPointer { bytes in
            var index = start
            while index < end {
                if bytes[index] == ByteClass.lf { return index }
                index += 1
            }
            return nil
        }
        if let found { return found - readIndex }
        scanFrom = end - readIndex
        return nil
    }

    /// Calls `body` with the readable bytes at relative offsets `range`.
    func withBytes<R>(_ range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws(HTTPParseError) -> R) throws(HTTPParseError) -> R {
        let lower = readIndex + range.lowerBound
        let upper = readIndex + range.upperBound
        return try storage.withUnsafeBufferPointer { (bytes) throws(HTTPParseError) -> R in
            try body(UnsafeBufferPointer(rebasing: bytes[lower..<upper]))
        }
    }
}
