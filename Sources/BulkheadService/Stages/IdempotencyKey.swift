import HTTPWire

/// The `Idempotency-Key` grammar: 1–255 visible ASCII characters (0x21–0x7E: no space, no
/// control, nothing beyond ASCII), taken byte for byte and never percent-decoded. A client
/// that percent-encodes its header values (as generated clients do) and one that does not
/// (curl) then name the same key with the same bytes, or one of them is told 400.
enum IdempotencyKey {
    static let maxLength = 255

    /// The request's key, nil when it has none. Malformed, or sent twice (which key would
    /// count?): 400 `invalid_header`.
    static func supplied(in headers: HTTPHeaders) throws(APIError) -> String? {
        let values = headers.values("Idempotency-Key")
        guard let value = values.first else { return nil }
        guard values.count == 1 else { throw .invalidHeader("Idempotency-Key", "must be sent once") }
        guard isValid(value) else {
            throw .invalidHeader("Idempotency-Key", "must be 1–\(maxLength) visible ASCII characters (no spaces), taken as sent")
        }
        return value
    }

    static func isValid(_ value: String) -> Bool {
        let utf8 = value.utf8
        return !utf8.isEmpty && utf8.count <= maxLength && utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
    }
}
