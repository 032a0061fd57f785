/// Request methods the router understands; anything else is `.other`.
public enum HTTPMethod: Sendable, Hashable {
    case get, head, post, put, delete, patch, options
    case other(String)

    public var name: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .delete: "DELETE"
        case .patch: "PATCH"
        case .options: "OPTIONS"
        case .other(let name): name
        }
    }
}

extension HTTPMethod {
    /// Maps a method token (already validated, case-sensitive per RFC 9110) without
    /// building a `String` for the common methods.
    init(token bytes: UnsafeBufferPointer<UInt8>) {
        switch bytes.count {
        case 3 where bytes.elementsEqual("GET".utf8): self = .get
        case 3 where bytes.elementsEqual("PUT".utf8): self = .put
        case 4 where bytes.elementsEqual("POST".utf8): self = .post
        case 4 where bytes.elementsEqual("HEAD".utf8): self = .head
        case 5 where bytes.elementsEqual("PATCH".utf8): self = .patch
        case 6 where bytes.elementsEqual("DELETE".utf8): self = .delete
        case 7 where bytes.elementsEqual("OPTIONS".utf8): self = .options
        default: self = .other(String(decoding: bytes, as: UTF8.self))
        }
    }
}
