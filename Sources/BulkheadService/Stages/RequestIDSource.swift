import Synchronization

/// Request ids: the caller's `X-Request-Id` when it is safe to echo and log (1–128 chars of
/// `[A-Za-z0-9._:-]`), else a new one (a random process prefix and a counter: unique,
/// cheap, no lock).
final class RequestIDSource: Sendable {
    /// The process prefix and the "-" before the counter.
    private let prefixBytes: [UInt8]
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)
    private let counter = Atomic<UInt64>(0)

    init() {
        var generator = SystemRandomNumberGenerator()
        let bits = generator.next() as UInt64
        prefixBytes = Array((String(bits, radix: 16) + "-").utf8)
    }

    func identifier(for supplied: String?) -> String {
        if let supplied, Self.isValid(supplied) { return supplied }
        let next = counter.add(1, ordering: .relaxed).newValue
        // Built in one buffer: "<prefix>-<hex counter>", one allocation instead of three.
        let digits = next == 0 ? 1 : (64 - next.leadingZeroBitCount + 3) / 4
        return String(unsafeUninitializedCapacity: prefixBytes.count + digits) { buffer in
            var index = 0
            for byte in prefixBytes {
                buffer[index] = byte
                index += 1
            }
            var value = next
            for position in stride(from: index + digits - 1, through: index, by: -1) {
                buffer[position] = Self.hexDigits[Int(value & 0xF)]
                value >>= 4
            }
            return index + digits
        }
    }

    static func isValid(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard !utf8.isEmpty, utf8.count <= 128 else { return false }
        return utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"), UInt8(ascii: "-"):
                true
            default: false
            }
        }
    }
}
