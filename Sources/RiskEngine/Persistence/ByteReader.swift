/// The matching reader: every read is bounds-checked and throws `EngineError`, never traps.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    let code: String

    init(_ bytes: [UInt8], code: String) {
        self.bytes = bytes
        self.code = code
    }

    func malformed(_ what: String) -> EngineError {
        EngineError(.invalid, code: code, message: "malformed bytes: \(what) at offset \(offset)")
    }

    var isAtEnd: Bool { offset == bytes.count }

    mutating func take(_ n: Int) throws(EngineError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else { throw malformed("unexpected end") }
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func u8() throws(EngineError) -> UInt8 { try take(1).first! }
    mutating func bool() throws(EngineError) -> Bool {
        switch try u8() {
        case 0: return false
        case 1: return true
        default: throw malformed("boolean")
        }
    }
    mutating func u64() throws(EngineError) -> UInt64 {
        var v: UInt64 = 0
        for (i, b) in try take(8).enumerated() { v |= UInt64(b) << (8 * UInt64(i)) }
        return v
    }
    mutating func u32() throws(EngineError) -> UInt32 {
        var v: UInt32 = 0
        for (i, b) in try take(4).enumerated() { v |= UInt32(b) << (8 * UInt32(i)) }
        return v
    }
    mutating func i64() throws(EngineError) -> Int64 { Int64(bitPattern: try u64()) }
    mutating func int(max: Int = Int(Int32.max)) throws(EngineError) -> Int {
        let v = try i64()
        guard v >= 0, v <= Int64(max) else { throw malformed("count") }
        return Int(v)
    }
    mutating func i128() throws(EngineError) -> Int128 {
        let low = try u64(), high = try u64()
        return Int128(bitPattern: UInt128(high) << 64 | UInt128(low))
    }
    mutating func amount() throws(EngineError) -> Amount {
        guard let v = try? Amount(raw: try i128()) else { throw malformed("amount out of range") }
        return v
    }
    mutating func optionalAmount() throws(EngineError) -> Amount? { try bool() ? try amount() : nil }
    mutating func time() throws(EngineError) -> Timestamp { Timestamp(nanoseconds: try i64()) }
    mutating func optionalTime() throws(EngineError) -> Timestamp? { try bool() ? try time() : nil }
    mutating func string(maxLength: Int = 1 << 16) throws(EngineError) -> String {
        let n = Int(try u32())
        guard n <= maxLength else { throw malformed("string too long") }
        let slice = try take(n)
        guard let s = String(validating: slice, as: UTF8.self) else { throw malformed("invalid UTF-8") }
        return s
    }
    mutating func optionalString() throws(EngineError) -> String? { try bool() ? try string() : nil }
    mutating func double() throws(EngineError) -> Double { Double(bitPattern: try u64()) }  // volatility statistic
    /// A count of items each at least `minSize` bytes: rejects counts the input cannot hold.
    mutating func count(minSize: Int) throws(EngineError) -> Int {
        let n = Int(try u32())
        guard n <= (bytes.count - offset) / max(minSize, 1) else { throw malformed("count exceeds input") }
        return n
    }
}
