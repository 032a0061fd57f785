public struct HTTPResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// Sent with chunked encoding until the closure returns.
        case stream(@Sendable (any HTTPBodyWriter) async throws -> Void)
    }

    public var status: Int
    /// Headers the application sets; the serializer adds Date, Content-Length or
    /// Transfer-Encoding, and Connection.
    public var headers: [HTTPField]
    public var body: Body

    public init(status: Int, headers: [HTTPField] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
