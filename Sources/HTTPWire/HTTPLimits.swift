/// Parser limits; every one configurable, each with a safe default.
public struct HTTPLimits: Sendable, Hashable {
    /// Request line without its CRLF; longer → 414.
    public var maxRequestLineBytes = 8 * 1024
    /// Header section including every line's CRLF and the closing empty line; more → 431.
    public var maxHeaderBytes = 16 * 1024
    /// Header fields; more → 431.
    public var maxHeaderCount = 64
    /// Decoded body; more → 413 (from Content-Length before the body is read).
    public var maxBodyBytes = 1024 * 1024
    /// Hex digits of one chunk size, leading zeros included; more → 400.
    public var maxChunkSizeDigits = 8
    /// Bytes after the chunk size up to the CRLF (extensions are ignored); more → 400.
    public var maxChunkExtensionBytes = 256
    /// Trailer section including CRLFs (trailers are discarded); more → 431.
    public var maxTrailerBytes = 4 * 1024

    public init() {}
}
