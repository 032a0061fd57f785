import Foundation
import HTTPServer
import RiskEngine

/// The configured API keys (`keys.json`), validated as a whole before any is used.
///
/// File shape: `{"keys": [{"id", "sha256", "role", "segments": ["*"] | [ids], "description"?}]}`.
/// Every entry is checked; the first problem is reported with file, index and field.
public struct APIKeyStore: Sendable, Hashable {
    /// Bounds so a malformed or hostile file cannot take unbounded memory.
    public static let defaultMaxFileBytes = 1 << 20
    public static let defaultMaxKeys = 10_000
    public static let allSegments = "*"

    public let entries: [APIKeyEntry]
    /// Where the keys came from (a file path), for messages.
    public let source: String

    public static let empty = APIKeyStore(validated: [], source: "<no keys file>")

    public var isEmpty: Bool { entries.isEmpty }

    /// Builds a store from entries, applying the same duplicate checks as a file.
    public init(entries: [APIKeyEntry], source: String = "<memory>") throws(APIKeyStoreError) {
        var ids = Set<String>()
        var digests = Set<[UInt8]>()
        for (index, entry) in entries.enumerated() {
            guard APIKeyStore.isIdentifier(entry.id) else {
                throw APIKeyStoreError(file: source, index: index, field: "id", reason: "must be 1-64 characters of [A-Za-z0-9._-]")
            }
            guard entry.digest.count == SHA256Digest.byteCount else {
                throw APIKeyStoreError(file: source, index: index, field: "sha256", reason: "must be 32 bytes")
            }
            guard ids.insert(entry.id).inserted else {
                throw APIKeyStoreError(file: source, index: index, field: "id", reason: "duplicate id '\(entry.id)'")
            }
            guard digests.insert(entry.digest).inserted else {
                throw APIKeyStoreError(file: source, index: index, field: "sha256", reason: "duplicate key hash (same key configured twice)")
            }
        }
        self.entries = entries
        self.source = source
    }

    private init(validated: [APIKeyEntry], source: String) {
        self.entries = validated
        self.source = source
    }

    /// Reads and validates a keys file. A missing file gives an empty store by default: the
    /// service starts, logs why, and refuses every `/v1` request with 503 `no_api_keys` (so an
    /// image without keys is safe, not broken). `allowMissing: false` makes it an error.
    public static func load(
        path: String,
        allowMissing: Bool = true,
        maxFileBytes: Int = defaultMaxFileBytes,
        maxKeys: Int = defaultMaxKeys
    ) throws(APIKeyStoreError) -> APIKeyStore {
        guard FileManager.default.fileExists(atPath: path) else {
            if allowMissing { return APIKeyStore(validated: [], source: path) }
            throw APIKeyStoreError(file: path, reason: "file not found")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let size = attributes?[.size] as? Int, size > maxFileBytes {
            throw APIKeyStoreError(file: path, reason: "file is \(size) bytes; limit \(maxFileBytes)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw APIKeyStoreError(file: path, reason: "cannot be read")
        }
        return try parse(Array(data), source: path, maxFileBytes: maxFileBytes, maxKeys: maxKeys)
    }

    /// Parses and validates the JSON text of a keys file.
    public static func parse(
        _ bytes: [UInt8],
        source: String = "keys.json",
        maxFileBytes: Int = defaultMaxFileBytes,
        maxKeys: Int = defaultMaxKeys
    ) throws(APIKeyStoreError) -> APIKeyStore {
        guard bytes.count <= maxFileBytes else {
            throw APIKeyStoreError(file: source, reason: "file is \(bytes.count) bytes; limit \(maxFileBytes)")
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw APIKeyStoreError(file: source, reason: "not valid JSON")
        }
        guard let object = root as? [String: Any] else {
            throw APIKeyStoreError(file: source, reason: "top level must be an object {\"keys\": [...]}")
        }
        guard let list = object["keys"] as? [Any] else {
            throw APIKeyStoreError(file: source, field: "keys", reason: "must be an array of key entries")
        }
        guard list.count <= maxKeys else {
            throw APIKeyStoreError(file: source, field: "keys", reason: "\(list.count) entries; limit \(maxKeys)")
        }
        var entries = [APIKeyEntry]()
        entries.reserveCapacity(list.count)
        for (index, item) in list.enumerated() {
            entries.append(try parseEntry(item, index: index, source: source))
        }
        return try APIKeyStore(entries: entries, source: source)
    }

    private static let knownFields: Set<String> = ["id", "sha256", "role", "segments", "description", "rateLimit"]

    private static func parseEntry(_ item: Any, index: Int, source: String) throws(APIKeyStoreError) -> APIKeyEntry {
        func fail(_ field: String?, _ reason: String) -> APIKeyStoreError {
            APIKeyStoreError(file: source, index: index, field: field, reason: reason)
        }
        guard let fields = item as? [String: Any] else { throw fail(nil, "must be an object") }
        // Unknown fields are refused so a typo ("segment") cannot silently widen or drop scope.
        if let unknown = fields.keys.filter({ !knownFields.contains($0) }).sorted().first {
            throw fail(unknown, "unknown field")
        }
        guard let id = fields["id"] as? String else { throw fail("id", "missing or not a string") }
        guard isIdentifier(id) else { throw fail("id", "must be 1-64 characters of [A-Za-z0-9._-]") }
        guard let hash = fields["sha256"] as? String else { throw fail("sha256", "missing or not a string") }
        guard let digest = SHA256Digest.parseHex(hash) else {
            throw fail("sha256", "must be exactly 64 hex digits (SHA-256 of the key)")
        }
        guard let roleName = fields["role"] as? String else { throw fail("role", "missing or not a string") }
        guard let role = Role(rawValue: roleName) else {
            throw fail("role", "'\(roleName)' is not one of admin, oracle, trading, read")
        }
        if let description = fields["description"], !(description is String) {
            throw fail("description", "must be a string")
        }
        let rateLimit = try parseRateLimit(fields["rateLimit"], fail: fail)
        guard let rawSegments = fields["segments"] as? [Any] else {
            throw fail("segments", "missing or not an array (use [\"*\"] for every segment)")
        }
        guard !rawSegments.isEmpty else { throw fail("segments", "must not be empty (use [\"*\"] for every segment)") }
        var segments = Set<String>()
        for (position, raw) in rawSegments.enumerated() {
            guard let segment = raw as? String else { throw fail("segments[\(position)]", "not a string") }
            if segment == allSegments {
                guard rawSegments.count == 1 else { throw fail("segments[\(position)]", "\"*\" must be the only entry") }
                return APIKeyEntry(id: id, digest: digest, role: role, segments: nil, rateLimit: rateLimit)
            }
            guard isIdentifier(segment) else {
                throw fail("segments[\(position)]", "'\(segment)' is not a segment id (1-64 characters of [A-Za-z0-9._-])")
            }
            guard segments.insert(segment).inserted else { throw fail("segments[\(position)]", "duplicate segment '\(segment)'") }
        }
        return APIKeyEntry(id: id, digest: digest, role: role, segments: segments, rateLimit: rateLimit)
    }

    /// `"rateLimit": {"requestsPerSecond": N, "burst": M}` (#17): N ≥ 0 (0: no quota), M ≥ 1
    /// (default: twice N, at least 1). Absent or null: the role's default quota.
    private static func parseRateLimit(
        _ value: Any?, fail: (String?, String) -> APIKeyStoreError
    ) throws(APIKeyStoreError) -> HTTPRateLimit? {
        guard let value, !(value is NSNull) else { return nil }
        guard let fields = value as? [String: Any] else { throw fail("rateLimit", "must be an object {\"requestsPerSecond\": N, \"burst\": M}") }
        if let unknown = fields.keys.filter({ !["requestsPerSecond", "burst"].contains($0) }).sorted().first {
            throw fail("rateLimit.\(unknown)", "unknown field")
        }
        guard let rate = fields["requestsPerSecond"] as? NSNumber, rate.doubleValue.isFinite, (0...10_000_000).contains(rate.doubleValue)
        else { throw fail("rateLimit.requestsPerSecond", "must be a number 0…10000000 (0: no quota)") }
        let perSecond = rate.doubleValue
        var burst = max(1, Int((perSecond * 2).rounded(.up)))
        if let raw = fields["burst"] {
            guard let number = raw as? NSNumber, let whole = Int(exactly: number.doubleValue), (1...100_000_000).contains(whole) else {
                throw fail("rateLimit.burst", "must be a whole number 1…100000000")
            }
            burst = whole
        }
        return HTTPRateLimit(requestsPerSecond: perSecond, burst: burst)
    }

    /// API.md identifiers (the engine's grammar).
    static func isIdentifier(_ text: String) -> Bool {
        Identifier.isValid(text)
    }
}
