public enum HTTPVersion: Sendable, Hashable {
    case http10
    case http11
}
