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

    /// Appends the canonical text to a byte buffer (the JSON writer's hot path: a fill's
    /// answer carries ~20 amounts). Integer parts that fit 64 bits (every realistic amount)
    /// take 64-bit arithmetic into a stack buffer; 128-bit division is a library call.
    public func appendFormatted(to bytes: inout [UInt8]) {
        let magnitude = raw.magnitude
        let integer: UInt64
        let fraction: UInt64
        if magnitude >> 64 == 0 {
            let small = UInt64(truncatingIfNeeded: magnitude)
            integer = small / UInt64(Amount.unitRaw)
            fraction = small % UInt64(Amount.unitRaw)
        } else {
            let unit = UInt128(Amount.unitRaw)
            guard magnitude / unit <= UInt128(UInt64.max) else {
                appendFormattedWide(to: &bytes)
                return
            }
            integer = UInt64(magnitude / unit)
            fraction = UInt64(magnitude % unit)
        }
        if raw < 0 { bytes.append(UInt8(ascii: "-")) }
        Self.appendDecimal(integer, to: &bytes)
        Self.appendFraction(fraction, to: &bytes)
    }

    /// The decimal digits of `value`, built right to left in a stack buffer.
    public static func appendDecimal(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var count = 0
            repeat {
                digits[19 - count] = UInt8(ascii: "0") &+ UInt8(value % 10)
                value /= 10
                count += 1
            } while value > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: digits[(20 - count)...]))
        }
    }

    /// `.` and the fraction's digits without trailing zeros; nothing for a zero fraction.
    private static func appendFraction(_ fraction: UInt64, to bytes: inout [UInt8]) {
        guard fraction != 0 else { return }
        var fraction = fraction
        var width = Amount.fractionDigits
        while fraction % 10 == 0 {
            fraction /= 10
            width -= 1
        }
        bytes.append(UInt8(ascii: "."))
        let start = bytes.count
        bytes.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width))
        var position = start + width - 1
        while fraction > 0 {
            bytes[position] = UInt8(ascii: "0") &+ UInt8(fraction % 10)
            fraction /= 10
            position -= 1
        }
    }

    /// The general path, with the integer part in 128-bit arithmetic: integer parts past
    /// 64 bits, and the reference the tests hold the fast path to.
    func appendFormattedWide(to bytes: inout [UInt8]) {
        let magnitude = raw.magnitude
        if raw < 0 { bytes.append(UInt8(ascii: "-")) }
        let unit = UInt128(Amount.unitRaw)
        var integer = magnitude / unit
        var digits: [UInt8] = []
        repeat {
            digits.append(UInt8(ascii: "0") + UInt8(integer % 10))
            integer /= 10
        } while integer > 0
        bytes.append(contentsOf: digits.reversed())
        Self.appendFraction(UInt64(magnitude % unit), to: &bytes)
    }
}

extension Amount: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self.init(value)
    }
}
