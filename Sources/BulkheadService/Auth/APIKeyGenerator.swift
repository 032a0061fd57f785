import COpenSSL

/// New API keys from OpenSSL's CSPRNG: `bhk_` + 32 random bytes in unpadded base64url.
public enum APIKeyGenerator {
    public static let prefix = "bhk_"
    public static let randomByteCount = 32

    public struct Failure: Error, CustomStringConvertible {
        public var description: String { "RAND_bytes failed: the system's random source is unavailable" }
    }

    public static func newKey() throws -> String {
        var bytes = [UInt8](repeating: 0, count: randomByteCount)
        let status = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32($0.count)) }
        guard status == 1 else { throw Failure() }
        defer { bytes.withUnsafeMutableBytes { OPENSSL_cleanse($0.baseAddress, $0.count) } }
        return prefix + base64URL(bytes)
    }

    /// The keys.json line for a key (its hash, never the key).
    public static func entryJSON(id: String, key: String, role: Role, segments: [String]) -> String {
        let hash = SHA256Digest.hex(SHA256Digest.sha256(of: key))
        let list = segments.map { "\"\($0)\"" }.joined(separator: ", ")
        return "{\"id\": \"\(id)\", \"sha256\": \"\(hash)\", \"role\": \"\(role.rawValue)\", \"segments\": [\(list)]}"
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var out = [UInt8]()
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            var value: UInt32 = 0
            for (offset, byte) in chunk.enumerated() { value |= UInt32(byte) << (16 - 8 * offset) }
            let characters = chunk.count + 1
            for position in 0..<characters {
                out.append(alphabet[Int((value >> (18 - 6 * position)) & 0x3f)])
            }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }
}
