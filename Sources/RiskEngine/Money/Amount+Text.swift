/// Why a decimal string is not an `Amount`. The API answers each with 400 `invalid_amount`.
public enum AmountParseError: Error, Sendable, Equatable {
    case empty
    case tooLong
    case invalidSyntax
    case tooManyFractionDigits
    case outOfRange
}

extension Amount {
    /// Longest accepted decimal string; anything longer is rejected before it is read.
    public static let maxTextLength = 64

    /// Parses `-?[0-9]+(\.[0-9]+)?` with at most 8 fractional digits. No exponent, no
    /// leading `+`, no spaces, no `NaN`: anything the grammar does not name is an error,
    /// and nothing is ever rounded.
    public static func parse<Bytes: Collection<UInt8>>(utf8 bytes: Bytes) throws(AmountParseError) -> Amount {
        guard !bytes.isEmpty else { throw .empty }
        guard bytes.count <= maxTextLength else { throw .tooLong }
        var index = bytes.startIndex
        var negative = false
        if bytes[index] == UInt8(ascii: "-") {
            negative = true
            index = bytes.index(after: index)
        }
        var integer: Int128 = 0
        var integerDigits = 0
        var fraction: Int128 = 0
        var fractionDigits = 0
        var inFraction = false
        while index != bytes.endIndex {
            let byte = bytes[index]
            index = bytes.index(after: index)
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int128(byte &- UInt8(ascii: "0"))
                if inFraction {
                    fractionDigits += 1
                    guard fractionDigits <= fractionDigitsLimit else { throw .tooManyFractionDigits }
                    fraction = fraction * 10 + digit
                } else {
                    integerDigits += 1
                    // 10^26 has 27 digits; past 28 digits the value is certainly out of range.
                    guard integerDigits <= 28 else { throw .outOfRange }
                    integer = integer * 10 + digit
                }
            case UInt8(ascii: "."):
                guard !inFraction, integerDigits > 0 else { throw .invalidSyntax }
                inFraction = true
            default:
                throw .invalidSyntax
            }
        }
        guard integerDigits > 0, !inFraction || fractionDigits > 0 else { throw .invalidSyntax }
        for _ in fractionDigits..<fractionDigitsLimit { fraction *= 10 }
        let magnitude = integer * unitRaw + fraction
        guard magnitude <= limitRaw else { throw .outOfRange }
        return Amount(uncheckedRaw: negative ? -magnitude : magnitude)
    }

    private static var fractionDigitsLimit: Int { fractionDigits }

    /// Parses a decimal string; see `parse(utf8:)`.
    public static func parse(_ text: String) throws(AmountParseError) -> Amount {
        try parse(utf8: text.utf8)
    }

    /// Convenience for literals in code and tests; `nil` where `parse` would throw.
    public init?(_ text: String) {
        guard let value = try? Amount.parse(text) else { return nil }
        self = value
    }

    /// Canonical decimal text: no exponent, no trailing fractional zeros, no `+`, `-0` is `0`.
    public func formatted() -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(40)
        appendFormatted(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends the canonical text to a byte buffer (the JSON writer's hot path).
    public func appendFormatted(to bytes: inout [UInt8]) {
        let magnitude = raw.magnitude
        if raw < 0 { bytes.append(UInt8(ascii: "-")) }
        let unit = UInt128(Amount.unitRaw)
        var integer = magnitude / unit
        var fraction = magnitude % unit
        // Integer part.
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(integer % 10))
            integer /= 10
        } while integer > 0
        bytes.append(contentsOf: digits.reversed())
        guard fraction != 0 else { return }
        var width = Amount.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(UInt8(ascii: "."))
        var fractionDigits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var position = width - 1
        while fraction > 0 {
            fractionDigits[position] = UInt8(ascii: "0") + UInt8(fraction % 10)
            fraction /= 10
            position -= 1
        }
        bytes.append(contentsOf: fractionDigits)
    }
}

extension Amount: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}
