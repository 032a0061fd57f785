/// A complete request: head plus the whole (de-chunked, size-limited) body.
public struct HTTPRequest: Sendable {
    public var head: HTTPRequestHead
    public var body: [UInt8]
    /// Peer address, "ip:port" (set by the server).
    public var remoteAddress: String

    public init(head: HTTPRequestHead, body: [UInt8], remoteAddress: String = "") {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
    }
}
