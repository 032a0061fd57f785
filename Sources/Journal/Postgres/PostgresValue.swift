/// A statement parameter, always sent in PostgreSQL's binary format with an explicit type so
/// that no value is ever spliced into SQL text.
enum PostgresValue: Sendable, Hashable {
    case int64(Int64)
    case text(String)
    case bytes([UInt8])
    case null

    /// Type OIDs from pg_type.h.
    var typeOID: UInt32 {
        switch self {
        case .int64: 20    // int8
        case .text: 25     // text
        case .bytes: 17    // bytea
        case .null: 0      // let the server infer
        }
    }

    /// The binary wire form; nil for SQL NULL.
    var binary: [UInt8]? {
        switch self {
        case .int64(let value):
            let bits = UInt64(bitPattern: value)
            return (0..<8).map { UInt8(truncatingIfNeeded: bits >> (56 - 8 * $0)) }
        case .text(let value):
            return Array(value.utf8)
        case .bytes(let value):
            return value
        case .null:
            return nil
        }
    }
}
