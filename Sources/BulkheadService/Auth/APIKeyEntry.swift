import HTTPServer

/// One configured key: its id, the SHA-256 of the key, its role and segment scope.
public struct APIKeyEntry: Sendable, Hashable {
    public var id: String
    /// SHA-256 of the key (32 bytes).
    public var digest: [UInt8]
    public var role: Role
    /// `nil` means every segment ("*").
    public var segments: Set<String>?
    /// The key's own request quota (`rateLimit` in keys.json, #17); nil: its role's default.
    public var rateLimit: HTTPRateLimit?

    public init(id: String, digest: [UInt8], role: Role, segments: Set<String>?, rateLimit: HTTPRateLimit? = nil) {
        self.id = id
        self.digest = digest
        self.role = role
        self.segments = segments
        self.rateLimit = rateLimit
    }

    public var principal: Principal {
        Principal(keyID: id, role: role, segments: segments, rateLimit: rateLimit)
    }
}
