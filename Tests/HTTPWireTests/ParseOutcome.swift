@testable import HTTPWire

/// Everything observable from feeding a parser: events in order, the error (if any) and
/// whether a request was left unfinished. Equatable, so split-point runs compare whole.
struct ParseOutcome: Equatable, CustomStringConvertible {
    struct Event: Equatable {
        var isHead: Bool
        var method: String
        var target: String
        var authority: String?
        var host: String?
        var version: HTTPVersion
        var headers: [[String]]
        var keepAlive: Bool
        var expectsContinue: Bool
        var body: [UInt8]

        init(isHead: Bool, head: HTTPRequestHead, body: [UInt8]) {
            self.isHead = isHead
            method = head.method.name
            target = head.target
            authority = head.authority
            host = head.host
            version = head.version
            headers = head.headers.fields.map { [$0.name, $0.value] }
            keepAlive = head.keepAlive
            expectsContinue = head.expectsContinue
            self.body = body
        }
    }

    var events: [Event] = []
    var error: HTTPParseError?
    var partial = false

    var requests: [Event] { events.filter { !$0.isHead } }

    var description: String {
        let list = events.map { "\($0.isHead ? "head" : "request") \($0.method) \($0.target) body=\($0.body.count)" }
        return "events=\(list) error=\(String(describing: error)) partial=\(partial)"
    }

    /// Feeds `bytes` cut at `cuts` (sorted offsets), draining `next()` after every append.
    static func feed(_ bytes: [UInt8], cuts: [Int], limits: HTTPLimits = HTTPLimits()) -> ParseOutcome {
        var parser = HTTPRequestParser(limits: limits)
        var outcome = ParseOutcome()
        var start = 0
        for end in cuts + [bytes.count] where end >= start {
            parser.append(Array(bytes[start..<end]))
            start = end
            do {
                while let event = try parser.next() {
                    switch event {
                    case .head(let head): outcome.events.append(Event(isHead: true, head: head, body: []))
                    case .request(let request): outcome.events.append(Event(isHead: false, head: request.head, body: request.body))
                    }
                }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        outcome.partial = parser.hasPartialRequest
        return outcome
    }

    /// The outcome for the whole input, after checking that every way of splitting it
    /// (each single split point, and byte by byte) gives the identical outcome.
    static func splitInvariant(
        _ bytes: [UInt8], limits: HTTPLimits = HTTPLimits(), maxSplits: Int = 4096, sourceLocation: SourceLocation = #_sourceLocation
    ) -> ParseOutcome {
        let whole = feed(bytes, cuts: [], limits: limits)
        // Longer inputs: sample evenly spread split points so the suite stays fast.
        let stride = bytes.count <= maxSplits ? 1 : bytes.count / maxSplits
        for cut in Swift.stride(from: 1, to: bytes.count, by: stride) {
            let split = feed(bytes, cuts: [cut], limits: limits)
            #expect(split == whole, "split at \(cut)", sourceLocation: sourceLocation)
            if split != whole { break }
        }
        let byteByByte = feed(bytes, cuts: Array(0..<bytes.count), limits: limits)
        #expect(byteByByte == whole, "byte by byte", sourceLocation: sourceLocation)
        return whole
    }
}

import Testing
