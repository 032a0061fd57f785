/// Where a streamed response body goes (Server-Sent Events).
public protocol HTTPBodyWriter: Sendable {
    func write(_ chunk: [UInt8]) async throws
}
