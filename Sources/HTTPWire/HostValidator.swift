/// `Host = uri-host [ ":" port ]` (RFC 9110 §7.2, RFC 3986 §3.2.2). An empty value is
/// valid: RFC 9112 §3.2 requires it when the target carries no authority.
enum HostValidator {
    static func isValid(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        var index = 0
        if value.first == UInt8(ascii: "[") {
            // IP-literal: IPv6address or IPvFuture; checked for its alphabet only.
            index = 1
            while index < value.count, value[index] != UInt8(ascii: "]") {
                let byte = value[index]
                guard ByteClass.hexValue(byte) != nil || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "%") || isRegName(byte) else { return false }
                index += 1
            }
            guard index < value.count, index > 1 else { return false }
            index += 1
        } else {
            while index < value.count, value[index] != UInt8(ascii: ":") {
                let byte = value[index]
                if byte == UInt8(ascii: "%") {
                    guard index + 2 < value.count, ByteClass.hexValue(value[index + 1]) != nil,
                          ByteClass.hexValue(value[index + 2]) != nil else { return false }
                    index += 3
                    continue
                }
                guard isRegName(byte) else { return false }
                index += 1
            }
        }
        if index == value.count { return true }
        guard value[index] == UInt8(ascii: ":") else { return false }
        let port = value[(index + 1)...]
        return port.count <= 5 && port.allSatisfy(ByteClass.isDigit)
    }

    /// unreserved / sub-delims.
    private static func isRegName(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"),
             UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("),
             UInt8(ascii: ")"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"),
             UInt8(ascii: "="):
            return true
        default:
            return false
        }
    }
}
