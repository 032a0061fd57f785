import COpenSSL

/// SHA-256, used to tell a repeated request from a different one under the same
/// `Idempotency-Key`.
enum RequestDigest {
    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest
    }

    /// Digest of method, target (path and query) and body.
    static func request(method: String, target: String, body: [UInt8]) -> [UInt8] {
        var input: [UInt8] = []
        input.reserveCapacity(method.utf8.count + target.utf8.count + body.count + 2)
        input.append(contentsOf: method.utf8)
        input.append(0x20)
        input.append(contentsOf: target.utf8)
        input.append(0x0A)
        input.append(contentsOf: body)
        return sha256(input)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
