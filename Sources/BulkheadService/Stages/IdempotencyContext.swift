/// A mutating request made with an `Idempotency-Key`: the key (scoped to the caller's API
/// key id) and the digest of method, path and body.
struct IdempotencyContext: Sendable, Hashable {
    var key: String
    var requestHash: [UInt8]

    /// Digest of method, target (path and query) and body: what makes two requests "the same".
    static func requestHash(method: String, target: String, body: [UInt8]) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(method.utf8.count + target.utf8.count + body.count + 2)
        input.append(contentsOf: method.utf8)
        input.append(0x20)
        input.append(contentsOf: target.utf8)
        input.append(0x0A)
        input.append(contentsOf: body)
        return SHA256Digest.sha256(input)
    }
}
