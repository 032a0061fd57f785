import BulkheadService

/// API keys of the test keys.json (plaintext here; the file holds their SHA-256).
enum TestKeys {
    static let admin = "test-admin-key"
    static let adminMajors = "test-admin-majors-key"
    static let oracle = "test-oracle-key"
    static let oracleMajors = "test-oracle-majors-key"
    static let trader = "test-trader-key"
    static let traderMajors = "test-trader-majors-key"
    static let reader = "test-reader-key"
    static let readerAlts = "test-reader-alts-key"

    static let entries: [(id: String, key: String, role: String, segments: [String])] = [
        ("t-admin", admin, "admin", ["*"]),
        ("t-admin-majors", adminMajors, "admin", ["majors"]),
        ("t-oracle", oracle, "oracle", ["*"]),
        ("t-oracle-majors", oracleMajors, "oracle", ["majors"]),
        ("t-trader", trader, "trading", ["*"]),
        ("t-trader-majors", traderMajors, "trading", ["majors"]),
        ("t-reader", reader, "read", ["*"]),
        ("t-reader-alts", readerAlts, "read", ["alts"]),
    ]

    static var keysJSON: String {
        let lines = entries.map { entry in
            let segments = entry.segments.map { "\"\($0)\"" }.joined(separator: ",")
            return #"{"id":"\#(entry.id)","sha256":"\#(SHA256Digest.hex(SHA256Digest.sha256(of: entry.key)))","role":"\#(entry.role)","segments":[\#(segments)]}"#
        }
        return #"{"keys":["# + lines.joined(separator: ",") + "]}"
    }
}
