import Testing
@testable import HTTPWire

/// The reusable buffer: compaction, bounded growth, reading straight into it.
@Suite struct HTTPRequestParserBufferTests {
    @Test func bufferStaysBoundedOverManyPipelinedRequests() throws {
        let one = Array("POST /echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello".utf8)
        let stream = Array([[UInt8]](repeating: one, count: 2000).joined())
        var parser = HTTPRequestParser()
        var completed = 0
        var offset = 0
        var largest = 0
        while offset < stream.count {
            let end = min(stream.count, offset + 1000)
            parser.append(Array(stream[offset..<end]))
            offset = end
            while let event = try parser.next() {
                if case .request(let request) = event {
                    #expect(request.body == Array("hello".utf8))
                    completed += 1
                }
            }
            largest = max(largest, parser.storage.count)
            #expect(parser.bufferedByteCount < one.count)
        }
        #expect(completed == 2000)
        #expect(largest == 4096)
        #expect(!parser.hasPartialRequest)
    }

    @Test func largeBodyPassesThroughWithoutGrowingTheBuffer() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1000000\r\n\r\n".utf8))
        guard case .head = try parser.next() else { Issue.record("expected head"); return }
        let piece = [UInt8](repeating: 42, count: 4000)
        var request: HTTPRequest?
        for _ in 0..<250 {
            parser.append(piece)
            if case .request(let complete) = try parser.next() { request = complete }
            #expect(parser.storage.count <= 4096)
        }
        #expect(request?.body.count == 1_000_000)
    }

    @Test func appendBytesReadsIntoTheBuffer() throws {
        var parser = HTTPRequestParser()
        let message = Array("GET /direct HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        let written = parser.appendBytes(minimumCapacity: 64) { free in
            #expect(free.count >= 64)
            free.copyBytes(from: message)
            return message.count
        }
        #expect(written == message.count)
        guard case .request(let request) = try parser.next() else { Issue.record("expected request"); return }
        #expect(request.head.target == "/direct")
        #expect(parser.bufferedByteCount == 0)
        let after = try parser.next()
        #expect(after == nil)
    }

    @Test func appendBytesPropagatesTypedErrors() {
        struct ReadFailed: Error, Equatable {}
        var parser = HTTPRequestParser()
        #expect(throws: ReadFailed()) {
            try parser.appendBytes(minimumCapacity: 16) { (_) throws(ReadFailed) -> Int in throw ReadFailed() }
        }
        #expect(parser.bufferedByteCount == 0)
    }
}
