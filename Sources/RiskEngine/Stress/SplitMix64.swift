/// SplitMix64 (Steele, Lea, Flood 2014): a tiny seeded generator, so a generated book is the
/// same on every platform for the same seed. Not for anything secret.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound > 0), by multiply-shift (Lemire; the tiny bias is irrelevant here).
    mutating func below(_ bound: Int) -> Int {
        Int((UInt128(next()) &* UInt128(bound)) >> 64)
    }

    /// True with probability `percent`/100.
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
}
