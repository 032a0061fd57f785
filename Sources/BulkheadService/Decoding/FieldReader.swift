import RiskEngine

/// Reads typed fields out of a JSON object, naming the full field path (e.g.
/// `markets[0].initialMarginFraction`) in every error. Unknown members are ignored.
struct FieldReader {
    let object: JSONObject
    let path: String

    init(_ value: JSONValue, path: String = "") throws(APIError) {
        guard case .object(let object) = value else {
            throw path.isEmpty
                ? APIError.invalidJSON("the body must be a JSON object")
                : APIError.invalidField(path, "expected an object, got \(value.typeName)")
        }
        self.object = object
        self.path = path
    }

    func name(_ field: String) -> String { path.isEmpty ? field : "\(path).\(field)" }

    /// The member, or nil when absent or `null`.
    func optional(_ field: String) -> JSONValue? {
        guard let value = object[field], value != .null else { return nil }
        return value
    }

    func required(_ field: String) throws(APIError) -> JSONValue {
        guard let value = optional(field) else { throw .missingField(name(field)) }
        return value
    }

    func string(_ field: String) throws(APIError) -> String {
        let value = try required(field)
        guard case .string(let text) = value else { throw .invalidField(name(field), "expected a string, got \(value.typeName)") }
        return text
    }

    func optionalString(_ field: String) throws(APIError) -> String? {
        guard optional(field) != nil else { return nil }
        return try string(field)
    }

    func identifier(_ field: String) throws(APIError) -> String {
        let value = try required(field)
        guard case .string(let text) = value else { throw .invalidField(name(field), "expected a string, got \(value.typeName)") }
        guard Identifier.isValid(text) else { throw .invalidIdentifier(name(field)) }
        return text
    }

    func optionalIdentifier(_ field: String) throws(APIError) -> String? {
        guard optional(field) != nil else { return nil }
        return try identifier(field)
    }

    func amount(_ field: String) throws(APIError) -> Amount {
        try Self.amount(try required(field), name: name(field))
    }

    func optionalAmount(_ field: String) throws(APIError) -> Amount? {
        guard let value = optional(field) else { return nil }
        return try Self.amount(value, name: name(field))
    }

    static func amount(_ value: JSONValue, name: String) throws(APIError) -> Amount {
        switch value {
        case .string(let text):
            do {
                return try Amount.parse(text)
            } catch {
                let reason = switch error {
                case .empty: "an amount must not be empty"
                case .tooLong: "the amount is too long"
                case .invalidSyntax: "'\(text.prefix(64))' is not a decimal amount (digits, optional '-', optional '.fraction'; no exponent)"
                case .tooManyFractionDigits: "at most \(Amount.fractionDigits) fractional digits are supported"
                case .outOfRange: "the amount is out of the supported range"
                }
                throw .invalidAmount(name, reason)
            }
        case .number:
            throw .invalidAmount(name, "amounts must be JSON strings such as \"12.5\", not numbers")
        default:
            throw .invalidAmount(name, "expected a decimal string, got \(value.typeName)")
        }
    }

    func timestamp(_ field: String) throws(APIError) -> Timestamp {
        let value = try required(field)
        guard case .string(let text) = value else { throw .invalidField(name(field), "expected a string, got \(value.typeName)") }
        // API.md: timestamps are RFC 3339 *UTC* strings; another offset is a client bug.
        let utc = text.hasSuffix("Z") || text.hasSuffix("z") || text.hasSuffix("+00:00") || text.hasSuffix("-00:00")
        guard utc, let time = Timestamp.parseRFC3339(text) else { throw .invalidTimestamp(name(field)) }
        return time
    }

    /// A JSON integer within `range` (seconds, counts).
    func integer(_ field: String, in range: ClosedRange<Int64> = 0...Int64(Int32.max)) throws(APIError) -> Int64 {
        let value = try required(field)
        guard case .number(let text) = value else { throw .invalidField(name(field), "expected an integer, got \(value.typeName)") }
        guard let number = Int64(text), range.contains(number) else {
            throw .invalidField(name(field), "expected an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }

    func array(_ field: String) throws(APIError) -> [JSONValue] {
        let value = try required(field)
        guard case .array(let elements) = value else { throw .invalidField(name(field), "expected an array, got \(value.typeName)") }
        return elements
    }

    func object(_ field: String) throws(APIError) -> FieldReader {
        try FieldReader(try required(field), path: name(field))
    }

    func optionalObject(_ field: String) throws(APIError) -> FieldReader? {
        guard let value = optional(field) else { return nil }
        return try FieldReader(value, path: name(field))
    }

    /// Each element of an array of objects, with its indexed path.
    func objects(_ field: String) throws(APIError) -> [FieldReader] {
        var readers: [FieldReader] = []
        for (index, element) in try array(field).enumerated() {
            readers.append(try FieldReader(element, path: "\(name(field))[\(index)]"))
        }
        return readers
    }
}
