/// Little-endian canonical binary writer for snapshots and journaled commands.
struct ByteWriter {
    var bytes: [UInt8] = []

    mutating func u8(_ v: UInt8) { bytes.append(v) }
    mutating func bool(_ v: Bool) { bytes.append(v ? 1 : 0) }
    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func i64(_ v: Int64) { u64(UInt64(bitPattern: v)) }
    mutating func int(_ v: Int) { i64(Int64(v)) }
    mutating func i128(_ v: Int128) {
        let u = UInt128(bitPattern: v)
        u64(UInt64(truncatingIfNeeded: u))
        u64(UInt64(truncatingIfNeeded: u >> 64))
    }
    mutating func amount(_ v: Amount) { i128(v.raw) }
    mutating func optionalAmount(_ v: Amount?) {
        bool(v != nil)
        if let v { amount(v) }
    }
    mutating func time(_ v: Timestamp) { i64(v.nanoseconds) }
    mutating func optionalTime(_ v: Timestamp?) {
        bool(v != nil)
        if let v { time(v) }
    }
    mutating func string(_ v: String) {
        // Straight from the string's storage: snapshots write one id per account, and an
        // intermediate array each was most of a snapshot's allocations.
        let utf8 = v.utf8
        u32(UInt32(truncatingIfNeeded: utf8.count))
        bytes.append(contentsOf: utf8)
    }
    mutating func optionalString(_ v: String?) {
        bool(v != nil)
        if let v { string(v) }
    }
    mutating func double(_ v: Double) { u64(v.bitPattern) }  // only the volatility statistic, bit-exact
}
