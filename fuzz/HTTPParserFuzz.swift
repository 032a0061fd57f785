// libFuzzer target for HTTPRequestParser, compiled together with Sources/HTTPWire by
// fuzz/run.sh (one module, so internals are visible).
//
// Properties checked on every input, beyond "no crash, no sanitizer report":
// - the outcome (events, error, partial state) is the same fed whole, split at a point
//   chosen from the input, and fed in small pieces;
// - bodies and header counts never exceed the limits;
// - a rejected request carries a 4xx/5xx status and a non-empty code.

/// Small limits so the fuzzer reaches every limit path quickly.
private let fuzzLimits: HTTPLimits = {
    var limits = HTTPLimits()
    limits.maxRequestLineBytes = 64
    limits.maxHeaderBytes = 256
    limits.maxHeaderCount = 8
    limits.maxBodyBytes = 512
    limits.maxChunkSizeDigits = 4
    limits.maxChunkExtensionBytes = 16
    limits.maxTrailerBytes = 64
    return limits
}()

private struct Outcome: Equatable {
    var events: [String] = []
    var bodies: [[UInt8]] = []
    var error: HTTPParseError?
    var partial = false
}

private func run(_ bytes: UnsafeBufferPointer<UInt8>, pieces: (Int) -> Int) -> Outcome {
    var parser = HTTPRequestParser(limits: fuzzLimits)
    var outcome = Outcome()
    var offset = 0
    var round = 0
    while offset < bytes.count {
        let length = max(1, min(bytes.count - offset, pieces(round)))
        parser.append(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[offset..<(offset + length)])))
        offset += length
        round += 1
        do {
            while let event = try parser.next() {
                switch event {
                case .head(let head):
                    outcome.events.append("head \(head.method.name) \(head.target) \(head.headers.fields) \(head.keepAlive) \(head.expectsContinue)")
                    precondition(head.headers.count <= fuzzLimits.maxHeaderCount)
                case .request(let request):
                    outcome.events.append("request \(request.head.method.name) \(request.head.target) \(request.head.headers.fields)")
                    outcome.bodies.append(request.body)
                    precondition(request.body.count <= fuzzLimits.maxBodyBytes)
                    precondition(request.head.target.hasPrefix("/") || request.head.target == "*")
                }
            }
        } catch {
            precondition((400...599).contains(error.status) && !error.code.isEmpty)
            outcome.error = error
            return outcome
        }
    }
    outcome.partial = parser.hasPartialRequest
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzHTTPRequestParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size > 0 else { return 0 }
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let whole = run(bytes) { _ in size }
    let cut = Int(bytes[0]) % size + 1
    let split = run(bytes) { $0 == 0 ? cut : size }
    let step = Int(bytes[size - 1] % 7) + 1
    let small = run(bytes) { _ in step }
    precondition(whole == split, "outcome depends on the split point \(cut)")
    precondition(whole == small, "outcome depends on feeding \(step) bytes at a time")
    return 0
}
