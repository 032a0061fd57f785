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
        let bytes = Array(header.utf8)
        if bytes.isEmpty { return .failure(.missing) }
        let scheme = Array("bearer ".utf8)
        guard bytes.count > scheme.count else {
            return .failure(.malformed("expected 'Bearer <api key>'"))
        }
        for (index, expected) in scheme.enumerated() where lowercased(bytes[index]) != expected {
            return .failure(.malformed("expected 'Bearer <api key>'"))
        }
        let token = bytes[scheme.count...]
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

    private static func isB64Token(_ token: ArraySlice<UInt8>) -> Bool {
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
