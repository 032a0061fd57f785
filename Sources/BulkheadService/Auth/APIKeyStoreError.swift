/// Why a keys file was refused, naming the file, the entry's index and the field.
public struct APIKeyStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// Index in the `keys` array; `nil` for a problem with the file as a whole.
    public var index: Int?
    public var field: String?
    public var reason: String

    public init(file: String, index: Int? = nil, field: String? = nil, reason: String) {
        self.file = file
        self.index = index
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let index { location += ": keys[\(index)]" }
        if let field { location += index == nil ? ": \(field)" : ".\(field)" }
        return "\(location): \(reason)"
    }
}
