/// `absolute-form = absolute-URI` for `http`/`https` (RFC 9112 §3.2.2): a server MUST accept
/// it, route on its path and take the host from its authority instead of `Host`.
struct AbsoluteForm: Sendable {
    /// `path-abempty [ "?" query ]`, with an empty path given as `/` (RFC 9112 §3.2.1).
    var originForm: String
    var authority: String

    /// `nil` when the target does not start with a scheme (not absolute-form at all).
    init?(_ target: UnsafeBufferPointer<UInt8>) throws(HTTPParseError) {
        guard let colon = target.firstIndex(of: UInt8(ascii: ":")), colon > 0,
              target[0...].prefix(colon).allSatisfy(Self.isSchemeByte), Self.isLetter(target[0])
        else { return nil }
        let scheme = UnsafeBufferPointer(rebasing: target[..<colon])
        guard ByteClass.equalsLowercase(scheme, "http") || ByteClass.equalsLowercase(scheme, "https") else {
            throw .invalidTarget("absolute-form is accepted for http and https only")
        }
        let rest = target[(colon + 1)...]
        guard rest.count >= 2, rest[rest.startIndex] == UInt8(ascii: "/"), rest[rest.startIndex + 1] == UInt8(ascii: "/") else {
            throw .invalidTarget("absolute-form needs an authority")
        }
        let authorityStart = rest.startIndex + 2
        var end = authorityStart
        while end < target.count, target[end] != UInt8(ascii: "/"), target[end] != UInt8(ascii: "?") { end += 1 }
        let authority = UnsafeBufferPointer(rebasing: target[authorityStart..<end])
        // RFC 9110 §4.2.1/§4.2.4: an empty host is invalid, and userinfo must not be sent.
        guard !authority.isEmpty, authority.first != UInt8(ascii: ":"), !authority.contains(UInt8(ascii: "@")),
              HostValidator.isValid(authority)
        else { throw .invalidTarget("invalid authority in absolute-form") }
        self.authority = String(decoding: authority, as: UTF8.self)
        let tail = String(decoding: UnsafeBufferPointer(rebasing: target[end...]), as: UTF8.self)
        originForm = tail.utf8.first == UInt8(ascii: "/") ? tail : "/" + tail
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
    }

    /// `ALPHA / DIGIT / "+" / "-" / "."` (RFC 3986 §3.1).
    private static func isSchemeByte(_ byte: UInt8) -> Bool {
        Self.isLetter(byte) || ByteClass.isDigit(byte) || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
