/// A query's rows, copied out of the libpq result (which is freed at once), in binary format.
struct PostgresRows: Sendable {
    /// rows[row][column]; nil is SQL NULL.
    var rows: [[[UInt8]?]]
    /// Rows the command touched (`INSERT`, `UPDATE`, `DELETE`), from `PQcmdTuples`.
    var affected: Int

    var count: Int { rows.count }
    var isEmpty: Bool { rows.isEmpty }

    func isNull(_ row: Int, _ column: Int) -> Bool { rows[row][column] == nil }

    /// int2, int4 or int8, told apart by their binary length.
    func int64(_ row: Int, _ column: Int) -> Int64 {
        guard let bytes = rows[row][column] else { return 0 }
        var value: UInt64 = 0
        for byte in bytes { value = value << 8 | UInt64(byte) }
        switch bytes.count {
        case 2: return Int64(Int16(truncatingIfNeeded: value))
        case 4: return Int64(Int32(truncatingIfNeeded: value))
        default: return Int64(bitPattern: value)
        }
    }

    func bytes(_ row: Int, _ column: Int) -> [UInt8] { rows[row][column] ?? [] }

    func text(_ row: Int, _ column: Int) -> String { String(decoding: bytes(row, column), as: UTF8.self) }

    func bool(_ row: Int, _ column: Int) -> Bool { rows[row][column]?.first == 1 }
}
