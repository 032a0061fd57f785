import RiskEngine

/// Appends JSON text to a byte buffer. Callers emit members in a fixed order, so every
/// response is byte-for-byte deterministic. Commas are inserted automatically.
public struct JSONWriter {
    public private(set) var bytes: [UInt8]
    /// One bit per open container, innermost lowest: whether it already has an element.
    /// A bit stack, not an array: no allocation per response (nesting past 64 levels,
    /// possible only when echoing deep input, spills into `deeperNeedsComma`).
    private var needsComma: UInt64 = 0
    private var depth = 0
    private var deeperNeedsComma: [Bool] = []

    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        guard depth > 0 else { return }
        if depth > 64 {
            if deeperNeedsComma[deeperNeedsComma.count - 1] { bytes.append(UInt8(ascii: ",")) } else { deeperNeedsComma[deeperNeedsComma.count - 1] = true }
        } else if needsComma & 1 == 1 {
            bytes.append(UInt8(ascii: ","))
        } else {
            needsComma |= 1
        }
    }

    private mutating func open(_ bracket: UInt8) {
        beginValue()
        bytes.append(bracket)
        depth += 1
        if depth > 64 { deeperNeedsComma.append(false) } else { needsComma <<= 1 }
    }

    private mutating func close(_ bracket: UInt8) {
        if depth > 64 { deeperNeedsComma.removeLast() } else { needsComma >>= 1 }
        depth -= 1
        bytes.append(bracket)
    }

    // MARK: Containers

    public mutating func beginObject() { open(UInt8(ascii: "{")) }

    public mutating func endObject() { close(UInt8(ascii: "}")) }

    public mutating func beginArray() { open(UInt8(ascii: "[")) }

    public mutating func endArray() { close(UInt8(ascii: "]")) }

    /// `[` element… `]`, each element written by `element`.
    public mutating func array<Elements: Sequence>(_ elements: Elements, _ element: (inout JSONWriter, Elements.Element) -> Void) {
        beginArray()
        for e in elements { element(&self, e) }
        endArray()
    }

    /// Writes a member name; the next value call writes its value.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        pendingKey = true
    }

    public mutating func key(dynamic name: String) {
        separate()
        appendQuoted(name)
        bytes.append(UInt8(ascii: ":"))
        pendingKey = true
    }

    /// A member name was written: the next value follows it without a comma.
    private var pendingKey = false

    private mutating func beginValue() {
        if pendingKey {
            pendingKey = false
        } else {
            separate()
        }
    }

    // MARK: Scalars

    public mutating func string(_ text: String) {
        beginValue()
        appendQuoted(text)
    }

    public mutating func amount(_ value: Amount) {
        beginValue()
        bytes.append(UInt8(ascii: "\""))
        value.appendFormatted(to: &bytes)
        bytes.append(UInt8(ascii: "\""))
    }

    public mutating func amount(_ value: Amount?) {
        guard let value else { return null() }
        amount(value)
    }

    public mutating func int<I: BinaryInteger>(_ value: I) {
        beginValue()
        guard let small = Int64(exactly: value) else {
            bytes.append(contentsOf: String(value).utf8)
            return
        }
        if small < 0 { bytes.append(UInt8(ascii: "-")) }
        Amount.appendDecimal(small.magnitude, to: &bytes)
    }

    public mutating func bool(_ value: Bool) {
        beginValue()
        append(value ? "true" : "false")
    }

    public mutating func null() {
        beginValue()
        append("null")
    }

    private mutating func append(_ literal: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
    }

    public mutating func timestamp(_ value: Timestamp) {
        string(value.rfc3339)
    }

    public mutating func timestamp(_ value: Timestamp?) {
        guard let value else { return null() }
        timestamp(value)
    }

    /// Pre-serialized JSON (trusted).
    public mutating func raw(_ json: [UInt8]) {
        beginValue()
        bytes.append(contentsOf: json)
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: null()
        case .bool(let flag): bool(flag)
        case .number(let text):
            beginValue()
            bytes.append(contentsOf: text.utf8)
        case .string(let text): string(text)
        case .array(let elements):
            beginArray()
            for element in elements { self.value(element) }
            endArray()
        case .object(let object):
            beginObject()
            for member in object.members {
                key(dynamic: member.key)
                self.value(member.value)
            }
            endObject()
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0..<0x20:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
