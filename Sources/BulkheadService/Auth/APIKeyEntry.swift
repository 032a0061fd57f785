/// One configured key: its id, the SHA-256 of the key, its role and segment scope.
public struct APIKeyEntry: Sendable, Hashable {
    public var id: String
    /// SHA-256 of the key (32 bytes).
    public var digest: [UInt8]
    public var role: Role
    /// `nil` means every segment ("*").
    public var segments: Set<String>?

    public init(id: String, digest: [UInt8], role: Role, segments: Set<String>?) {
        self.id = id
        self.digest = digest
        self.role = role
        self.segments = segments
    }

    public var principal: Principal {
        Principal(keyID: id, role: role, segments: segments)
    }
}
