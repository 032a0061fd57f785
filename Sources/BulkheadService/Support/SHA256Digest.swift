import COpenSSL

/// The service's one SHA-256 (OpenSSL): API keys (only digests are ever stored or compared;
/// the key itself is hashed and dropped) and idempotent requests (a repeat under the same
/// `Idempotency-Key` is told from a different request by its digest).
public enum SHA256Digest {
    public static let byteCount = 32

    /// SHA-256 of the key's UTF-8 bytes.
    public static func sha256(of key: String) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        func hash(_ input: UnsafeBufferPointer<UInt8>) {
            digest.withUnsafeMutableBufferPointer { _ = SHA256(input.baseAddress, input.count, $0.baseAddress) }
        }
        // Native strings hash in place: no scratch copy of the key to allocate and wipe.
        if key.utf8.withContiguousStorageIfAvailable(hash) == nil {
            var bytes = Array(key.utf8)
            bytes.withUnsafeBufferPointer(hash)
            // Best effort: do not leave the key's bytes in the scratch copy.
            bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) }
        }
        return digest
    }

    /// SHA-256 of raw bytes.
    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: byteCount)
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { _ = SHA256(input.baseAddress, input.count, $0.baseAddress) }
        }
        return digest
    }

    /// Lower-case hex, as keys.json stores it.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses exactly 64 hex digits (either case); `nil` for anything else.
    public static func parseHex(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count == byteCount * 2 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(byteCount)
        var index = 0
        while index < chars.count {
            guard let high = nibble(chars[index]), let low = nibble(chars[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    /// Equal-length digests compared without a data-dependent early exit (CRYPTO_memcmp).
    public static func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return lhs.withUnsafeBytes { left in
            rhs.withUnsafeBytes { right in
                CRYPTO_memcmp(left.baseAddress, right.baseAddress, left.count) == 0
            }
        }
    }

    private static func nibble(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): char - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): char - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): char - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
