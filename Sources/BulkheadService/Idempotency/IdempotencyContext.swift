/// A mutating request made with an `Idempotency-Key`: the key (scoped to the caller's API
/// key id) and the digest of method, path and body.
struct IdempotencyContext: Sendable, Hashable {
    var key: String
    var requestHash: [UInt8]
}
