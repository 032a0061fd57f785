/// Strict parsing of `Authorization: Bearer <key>` (RFC 6750 §2.1).
///
/// The scheme is matched case-insensitively (RFC 9110 §11.1), then exactly one space, then a
/// b64token: `1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="`. Anything else —
/// another scheme, no token, extra or leading/trailing whitespace, a second token — is malformed.
public enum BearerCredential {
    /// Longer keys are refused before hashing; generated keys are 47 characters.
    public static let maxKeyLength = 512

    public enum Failure: Error, Sendable, Hashable {
        case missing
        case malformed(String)
    }

    public static func parse(_ header: String?) -> Result<String, Failure> {
        guard let header else { return .failure(.missing) }
        // Read in place (every authenticated request comes through here); copy only a
        // header that is not contiguous UTF-8 already.
        if let result = header.utf8.withContiguousStorageIfAvailable({ parse(bytes: $0) }) { return result }
        return Array(header.utf8).withUnsafeBufferPointer { parse(bytes: $0) }
    }

    private static func parse(bytes: UnsafeBufferPointer<UInt8>) -> Result<String, Failure> {
        if bytes.isEmpty { return .failure(.missing) }
        let scheme: StaticString = "bearer "
        let schemeBytes = UnsafeBufferPointer(start: scheme.utf8Start, count: scheme.utf8CodeUnitCount)
        guard bytes.count > schemeBytes.count else {
            return .failure(.malformed("expected 'Bearer <api key>'"))
        }
        for (index, expected) in schemeBytes.enumerated() where lowercased(bytes[index]) != expected {
            return .failure(.malformed("expected 'Bearer <api key>'"))
        }
        let token = UnsafeBufferPointer(rebasing: bytes[schemeBytes.count...])
        guard token.count <= maxKeyLength else {
            return .failure(.malformed("api key longer than \(maxKeyLength) characters"))
        }
        guard isB64Token(token) else {
            return .failure(.malformed("api key must be one token of [A-Za-z0-9-._~+/] with optional trailing '='"))
        }
        return .success(String(decoding: token, as: UTF8.self))
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func isB64Token(_ token: UnsafeBufferPointer<UInt8>) -> Bool {
        var seenPadding = false
        var body = 0
        for byte in token {
            if byte == UInt8(ascii: "=") {
                seenPadding = true
                continue
            }
            if seenPadding { return false }
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "+"), UInt8(ascii: "/"):
                body += 1
            default:
                return false
            }
        }
        return body > 0
    }
}
