/// Renders a JSON document as block-style YAML (OpenAPI tools read both). Strings are
/// always double-quoted JSON strings, which YAML accepts verbatim, so nothing is ambiguous.
enum YAMLRendering {
    static func render(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 0, into: &out, inline: false)
        if !out.hasSuffix("\n") { out += "\n" }
        return out
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .null: "null"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let text): text
        case .string(let text): quoted(text)
        case .array(let elements) where elements.isEmpty: "[]"
        case .object(let object) where object.members.isEmpty: "{}"
        default: nil
        }
    }

    static func quoted(_ text: String) -> String {
        var writer = JSONWriter(capacity: text.utf8.count + 2)
        writer.string(text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    private static func key(_ text: String) -> String {
        let plain = !text.isEmpty && text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                true
            default: false
            }
        } && !(text.first?.isNumber ?? false) && !["true", "false", "null", "yes", "no", "on", "off", "y", "n"].contains(text.lowercased())
        return plain ? text : quoted(text)
    }

    private static func write(_ value: JSONValue, indent: Int, into out: inout String, inline: Bool) {
        let pad = String(repeating: " ", count: indent)
        switch value {
        case .object(let object) where !object.members.isEmpty:
            for (index, member) in object.members.enumerated() {
                if !(inline && index == 0) { out += pad }
                out += key(member.key) + ":"
                if let text = scalar(member.value) {
                    out += " " + text + "\n"
                } else {
                    out += "\n"
                    write(member.value, indent: indent + 2, into: &out, inline: false)
                }
            }
        case .array(let elements) where !elements.isEmpty:
            for element in elements {
                out += pad + "-"
                if let text = scalar(element) {
                    out += " " + text + "\n"
                } else {
                    out += " "
                    write(element, indent: indent + 2, into: &out, inline: true)
                }
            }
        default:
            out += pad + (scalar(value) ?? "null") + "\n"
        }
    }
}
