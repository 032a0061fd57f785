/// Why a body is not acceptable JSON. The API answers 400 `invalid_json` (or 413 when
/// `tooLarge`).
public struct JSONReadError: Error, Sendable, Equatable {
    public var message: String
    public var tooLarge: Bool

    init(_ message: String, at offset: Int, tooLarge: Bool = false) {
        self.message = "\(message) at byte \(offset)"
        self.tooLarge = tooLarge
    }
}

/// Strict RFC 8259 reader: one value, no trailing bytes, no duplicate keys, valid UTF-8,
/// bounded depth and size. Strings are decoded; numbers are checked and kept as text.
public struct JSONReader {
    public struct Limits: Sendable, Hashable {
        public var maxBytes = 1 << 20
        public var maxDepth = 32
        public var maxStringBytes = 64 * 1024
        public var maxMembers = 10_000

        public init() {}
    }

    public static func parse(_ bytes: [UInt8], limits: Limits = Limits()) throws(JSONReadError) -> JSONValue {
        guard bytes.count <= limits.maxBytes else {
            throw JSONReadError("document is larger than \(limits.maxBytes) bytes", at: 0, tooLarge: true)
        }
        return try bytes.withUnsafeBufferPointer { (buffer) throws(JSONReadError) -> JSONValue in
            var cursor = Cursor(bytes: buffer, limits: limits)
            cursor.skipWhitespace()
            let value = try cursor.readValue(depth: 0)
            cursor.skipWhitespace()
            guard cursor.offset == buffer.count else { throw JSONReadError("unexpected bytes after the document", at: cursor.offset) }
            return value
        }
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        let limits: Limits
        var offset = 0
        var members = 0

        init(bytes: UnsafeBufferPointer<UInt8>, limits: Limits) {
            self.bytes = bytes
            self.limits = limits
        }

        var atEnd: Bool { offset >= bytes.count }
        var current: UInt8 { bytes[offset] }

        mutating func skipWhitespace() {
            while offset < bytes.count {
                switch bytes[offset] {
                case 0x20, 0x09, 0x0A, 0x0D: offset += 1
                default: return
                }
            }
        }

        mutating func readValue(depth: Int) throws(JSONReadError) -> JSONValue {
            guard !atEnd else { throw JSONReadError("unexpected end of document", at: offset) }
            switch current {
            case UInt8(ascii: "{"): return try readObject(depth: depth + 1)
            case UInt8(ascii: "["): return try readArray(depth: depth + 1)
            case UInt8(ascii: "\""): return .string(try readString())
            case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
            case UInt8(ascii: "n"): try expectLiteral("null"); return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try readNumber())
            default: throw JSONReadError("unexpected character", at: offset)
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONReadError) {
            let count = literal.utf8CodeUnitCount
            guard bytes.count - offset >= count else { throw JSONReadError("invalid literal", at: offset) }
            let start = literal.utf8Start
            for index in 0..<count where bytes[offset + index] != start[index] {
                throw JSONReadError("invalid literal", at: offset)
            }
            offset += count
        }

        mutating func countMember() throws(JSONReadError) {
            members += 1
            guard members <= limits.maxMembers else { throw JSONReadError("too many values", at: offset, tooLarge: true) }
        }

        mutating func readObject(depth: Int) throws(JSONReadError) -> JSONValue {
            guard depth <= limits.maxDepth else { throw JSONReadError("nesting deeper than \(limits.maxDepth)", at: offset) }
            offset += 1
            var object = JSONObject()
            skipWhitespace()
            if !atEnd, current == UInt8(ascii: "}") {
                offset += 1
                return .object(object)
            }
            while true {
                skipWhitespace()
                guard !atEnd, current == UInt8(ascii: "\"") else { throw JSONReadError("expected a member name", at: offset) }
                let keyOffset = offset
                let key = try readString()
                if object[key] != nil { throw JSONReadError("duplicate member '\(key)'", at: keyOffset) }
                skipWhitespace()
                guard !atEnd, current == UInt8(ascii: ":") else { throw JSONReadError("expected ':'", at: offset) }
                offset += 1
                skipWhitespace()
                try countMember()
                let value = try readValue(depth: depth)
                object.members.append((key: key, value: value))
                skipWhitespace()
                guard !atEnd else { throw JSONReadError("unterminated object", at: offset) }
                if current == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                guard current == UInt8(ascii: "}") else { throw JSONReadError("expected ',' or '}'", at: offset) }
                offset += 1
                return .object(object)
            }
        }

        mutating func readArray(depth: Int) throws(JSONReadError) -> JSONValue {
            guard depth <= limits.maxDepth else { throw JSONReadError("nesting deeper than \(limits.maxDepth)", at: offset) }
            offset += 1
            var elements: [JSONValue] = []
            skipWhitespace()
            if !atEnd, current == UInt8(ascii: "]") {
                offset += 1
                return .array(elements)
            }
            while true {
                skipWhitespace()
                try countMember()
                elements.append(try readValue(depth: depth))
                skipWhitespace()
                guard !atEnd else { throw JSONReadError("unterminated array", at: offset) }
                if current == UInt8(ascii: ",") {
                    offset += 1
                    continue
                }
                guard current == UInt8(ascii: "]") else { throw JSONReadError("expected ',' or ']'", at: offset) }
                offset += 1
                return .array(elements)
            }
        }

        mutating func readNumber() throws(JSONReadError) -> String {
            let start = offset
            if current == UInt8(ascii: "-") { offset += 1 }
            guard !atEnd, isDigit(current) else { throw JSONReadError("invalid number", at: start) }
            if current == UInt8(ascii: "0") {
                offset += 1
            } else {
                while !atEnd, isDigit(current) { offset += 1 }
            }
            if !atEnd, current == UInt8(ascii: ".") {
                offset += 1
                guard !atEnd, isDigit(current) else { throw JSONReadError("invalid number", at: start) }
                while !atEnd, isDigit(current) { offset += 1 }
            }
            if !atEnd, current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                offset += 1
                if !atEnd, current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { offset += 1 }
                guard !atEnd, isDigit(current) else { throw JSONReadError("invalid number", at: start) }
                while !atEnd, isDigit(current) { offset += 1 }
            }
            guard offset - start <= 512 else { throw JSONReadError("number too long", at: start) }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<offset]), as: UTF8.self)
        }

        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

        mutating func readString() throws(JSONReadError) -> String {
            let start = offset
            offset += 1
            // Fast path: no escapes, ASCII only.
            var scan = offset
            while scan < bytes.count {
                let byte = bytes[scan]
                if byte == UInt8(ascii: "\"") {
                    guard scan - offset <= limits.maxStringBytes else { throw JSONReadError("string too long", at: start) }
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<scan]), as: UTF8.self)
                    offset = scan + 1
                    return text
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 || byte >= 0x80 { break }
                scan += 1
            }
            return try readStringSlow(start: start)
        }

        mutating func readStringSlow(start: Int) throws(JSONReadError) -> String {
            var out: [UInt8] = []
            while true {
                guard !atEnd else { throw JSONReadError("unterminated string", at: start) }
                guard out.count <= limits.maxStringBytes else { throw JSONReadError("string too long", at: start) }
                let byte = current
                switch byte {
                case UInt8(ascii: "\""):
                    offset += 1
                    return String(decoding: out, as: UTF8.self)
                case UInt8(ascii: "\\"):
                    offset += 1
                    guard !atEnd else { throw JSONReadError("unterminated escape", at: offset) }
                    let escape = current
                    offset += 1
                    switch escape {
                    case UInt8(ascii: "\""): out.append(0x22)
                    case UInt8(ascii: "\\"): out.append(0x5C)
                    case UInt8(ascii: "/"): out.append(0x2F)
                    case UInt8(ascii: "b"): out.append(0x08)
                    case UInt8(ascii: "f"): out.append(0x0C)
                    case UInt8(ascii: "n"): out.append(0x0A)
                    case UInt8(ascii: "r"): out.append(0x0D)
                    case UInt8(ascii: "t"): out.append(0x09)
                    case UInt8(ascii: "u"):
                        var scalar = try readHex4()
                        if scalar >= 0xD800, scalar < 0xDC00 {
                            guard bytes.count - offset >= 6, bytes[offset] == UInt8(ascii: "\\"), bytes[offset + 1] == UInt8(ascii: "u") else {
                                throw JSONReadError("unpaired surrogate", at: offset)
                            }
                            offset += 2
                            let low = try readHex4()
                            guard low >= 0xDC00, low < 0xE000 else { throw JSONReadError("unpaired surrogate", at: offset) }
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else if scalar >= 0xDC00, scalar < 0xE000 {
                            throw JSONReadError("unpaired surrogate", at: offset)
                        }
                        guard let unicode = Unicode.Scalar(scalar) else { throw JSONReadError("invalid escape", at: offset) }
                        out.append(contentsOf: Array(String(Character(unicode)).utf8))
                    default:
                        throw JSONReadError("invalid escape", at: offset - 1)
                    }
                case 0..<0x20:
                    throw JSONReadError("control character in string", at: offset)
                case 0x80...:
                    let length = try validUTF8Length(at: offset)
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]))
                    offset += length
                default:
                    out.append(byte)
                    offset += 1
                }
            }
        }

        mutating func readHex4() throws(JSONReadError) -> UInt32 {
            guard bytes.count - offset >= 4 else { throw JSONReadError("invalid unicode escape", at: offset) }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = current
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw JSONReadError("invalid unicode escape", at: offset)
                }
                value = value << 4 | digit
                offset += 1
            }
            return value
        }

        /// Length of the well-formed UTF-8 sequence at `index` (RFC 3629 table), else throws.
        func validUTF8Length(at index: Int) throws(JSONReadError) -> Int {
            let first = bytes[index]
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch first {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: throw JSONReadError("invalid UTF-8", at: index)
            }
            guard bytes.count - index >= length else { throw JSONReadError("invalid UTF-8", at: index) }
            let second = bytes[index + 1]
            guard second >= lower, second <= upper else { throw JSONReadError("invalid UTF-8", at: index) }
            for next in 2..<max(length, 2) where next < length {
                guard bytes[index + next] & 0xC0 == 0x80 else { throw JSONReadError("invalid UTF-8", at: index) }
            }
            return length
        }
    }
}
