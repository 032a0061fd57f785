/// One digest for a book: FNV-1a 64 over each segment's `stateHash`, in segment-id order.
public enum StressHash {
    public static func of(_ book: [Segment]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for segment in book.sorted(by: { $0.spec.id < $1.spec.id }) {
            var value = segment.stateHash
            for _ in 0..<8 {
                hash ^= value & 0xff
                hash = hash &* 0x0000_0100_0000_01b3
                value >>= 8
            }
        }
        return hash
    }

    /// 16 lowercase hex digits, as the API shows a state hash.
    public static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
