import Testing
@testable import RiskEngine

@Suite struct AmountTests {
    /// The 64-bit fast path writes exactly what the 128-bit general path writes, across
    /// magnitudes from one raw unit to the limit (including both sides of 2^64 raw).
    @Test func fastFormattingEqualsTheGeneralPath() {
        var generator = SystemRandomNumberGenerator()
        var samples: [Int128] = [0, 1, -1, 100_000_000, -100_000_000, 5, 50, 12_345_678_900, Amount.limitRaw, -Amount.limitRaw,
                                 Int128(UInt64.max), Int128(UInt64.max) + 1, -Int128(UInt64.max) - 1]
        for _ in 0..<2_000 {
            let scale = Int128(1) << Int128(Int.random(in: 0...110, using: &generator))
            samples.append(Int128(Int64.random(in: .min ... .max, using: &generator)) % max(scale, 1))
            samples.append(Int128(Int64.random(in: .min ... .max, using: &generator)) * Int128(Int64.random(in: -10_000_000...10_000_000, using: &generator)))
        }
        for raw in samples where raw.magnitude <= Amount.limitRaw.magnitude {
            let amount = Amount(uncheckedRaw: raw)
            var fast: [UInt8] = []
            var wide: [UInt8] = []
            amount.appendFormatted(to: &fast)
            amount.appendFormattedWide(to: &wide)
            #expect(fast == wide, "raw \(raw)")
        }
    }

    @Test(arguments: [
        ("64000.25", "64000.25"), ("-0.5", "-0.5"), ("0", "0"), ("-0", "0"), ("1.10000000", "1.1"),
        ("0.00000001", "0.00000001"), ("100000000000000000000000000", "100000000000000000000000000"),
        ("007.5", "7.5"),
    ])
    func parsesAndFormatsCanonically(input: String, expected: String) throws {
        #expect(try Amount.parse(input).formatted() == expected)
    }

    @Test(arguments: [
        "", "+5", "1e5", "NaN", "1.", ".5", "1.123456789", "--1", "1,5", " 1", "1 ", "0x10", "1.2.3", "-",
        "100000000000000000000000001", "9999999999999999999999999999999",
        String(repeating: "1", count: 65),
    ])
    func rejectsMalformed(input: String) {
        #expect(throws: AmountParseError.self) { try Amount.parse(input) }
    }

    @Test func multipliesWithDirectedRounding() throws {
        // 0.00000001 · 0.5 = 0.000000005 → up 0.00000001, down 0
        let tiny = try Amount.parse("0.00000001"), half = try Amount.parse("0.5")
        #expect(try tiny.times(half, .up) == tiny)
        #expect(try tiny.times(half, .down) == .zero)
        // −0.000000005 → down −0.00000001, up 0
        #expect(try tiny.negated.times(half, .down) == tiny.negated)
        #expect(try tiny.negated.times(half, .up) == .zero)
        // 31879.5 · 0.05 = 1593.975 exactly
        #expect(try Amount.parse("31879.5").times(Amount.parse("0.05"), .up) == Amount.parse("1593.975"))
    }

    @Test func largeProductsUseTheWideIntermediate() throws {
        let big = try Amount.parse("1000000000000")  // 1e12
        #expect(try big.times(big, .down) == Amount.parse("1000000000000000000000000"))
        #expect(throws: AmountError.outOfRange) { try big.times(big, .down).times(big, .down) }
    }

    @Test func divisionRoundsOnceAndRejectsZero() throws {
        #expect(try Amount(1).divided(by: Amount(3), .down).formatted() == "0.33333333")
        #expect(try Amount(1).divided(by: Amount(3), .up).formatted() == "0.33333334")
        #expect(throws: AmountError.divisionByZero) { try Amount(1).divided(by: .zero, .up) }
    }

    @Test func sumsStayInRange() throws {
        let max = try Amount(raw: Amount.limitRaw)
        #expect(throws: AmountError.outOfRange) { try max + .one }
        #expect(try max - .one < max)
    }
}
