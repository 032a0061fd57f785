/// An exact fixed-point decimal: `raw / 10^8`, stored in an `Int128`.
///
/// Money never touches floating point. Values are bounded by `Amount.limit` (10^26), so the
/// sum or difference of two valid amounts never overflows the storage; every operation that
/// can leave the range reports `AmountError.outOfRange` instead of trapping. Products and
/// quotients go through a 256-bit intermediate (`mulDiv`) and are rounded exactly once, in
/// the direction the caller names (requirements up, payouts down).
public struct Amount: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Fractional digits carried exactly.
    public static let fractionDigits = 8
    /// 10^8: the raw value of one unit.
    public static let unitRaw: Int128 = 100_000_000
    /// Largest magnitude, in raw units (10^26 as a value).
    public static let limitRaw: Int128 = 10_000_000_000_000_000_000_000_000_000_000_000  // 10^34

    public static let zero = Amount(uncheckedRaw: 0)
    public static let one = Amount(uncheckedRaw: unitRaw)

    /// The scaled integer value.
    public let raw: Int128

    /// Trusted constructor for values already known to be in range.
    @inlinable
    public init(uncheckedRaw raw: Int128) {
        self.raw = raw
    }

    /// Checked constructor from a raw scaled value.
    @inlinable
    public init(raw: Int128) throws(AmountError) {
        guard raw >= -Self.limitRaw, raw <= Self.limitRaw else { throw .outOfRange }
        self.raw = raw
    }

    /// A whole number of units.
    public init(_ units: Int) {
        self.raw = Int128(units) * Self.unitRaw
    }

    @inlinable public var isZero: Bool { raw == 0 }
    @inlinable public var isNegative: Bool { raw < 0 }
    @inlinable public var isPositive: Bool { raw > 0 }
    /// -1, 0 or 1.
    @inlinable public var signum: Int { raw > 0 ? 1 : (raw < 0 ? -1 : 0) }
    @inlinable public var magnitude: Amount { Amount(uncheckedRaw: raw < 0 ? -raw : raw) }
    @inlinable public var negated: Amount { Amount(uncheckedRaw: -raw) }

    @inlinable
    public static func < (lhs: Amount, rhs: Amount) -> Bool { lhs.raw < rhs.raw }

    @inlinable
    public static prefix func - (value: Amount) -> Amount { value.negated }

    @inlinable
    public static func + (lhs: Amount, rhs: Amount) throws(AmountError) -> Amount {
        try Amount(raw: lhs.raw + rhs.raw)  // cannot overflow Int128: |raw| ≤ 10^34 each
    }

    @inlinable
    public static func - (lhs: Amount, rhs: Amount) throws(AmountError) -> Amount {
        try Amount(raw: lhs.raw - rhs.raw)
    }

    @inlinable
    public static func min(_ a: Amount, _ b: Amount) -> Amount { a.raw <= b.raw ? a : b }
    @inlinable
    public static func max(_ a: Amount, _ b: Amount) -> Amount { a.raw >= b.raw ? a : b }

    /// `self · other`, rounded once to 10^-8 in the given direction.
    @inlinable
    public func times(_ other: Amount, _ rounding: Rounding) throws(AmountError) -> Amount {
        // Fast path: both factors small enough that the product fits in Int128.
        let (product, overflow) = raw.multipliedReportingOverflow(by: other.raw)
        if !overflow {
            return try Amount(raw: Self.divide(product, by: Self.unitRaw, rounding))
        }
        return try Amount(raw: Self.mulDiv(raw, other.raw, Self.unitRaw, rounding))
    }

    /// `self / other`, rounded once to 10^-8 in the given direction.
    @inlinable
    public func divided(by other: Amount, _ rounding: Rounding) throws(AmountError) -> Amount {
        guard other.raw != 0 else { throw .divisionByZero }
        return try Amount(raw: Self.mulDiv(raw, Self.unitRaw, other.raw, rounding))
    }

    /// `self · numerator / denominator` with a single rounding: the building block for
    /// formulas such as `(E − MM) / (q·(1 − MMF))` where intermediate rounding would bias.
    @inlinable
    public func times(_ numerator: Amount, over denominator: Amount, _ rounding: Rounding) throws(AmountError) -> Amount {
        guard denominator.raw != 0 else { throw .divisionByZero }
        return try Amount(raw: Self.mulDiv(raw, numerator.raw, denominator.raw, rounding))
    }

    /// Multiplies by a whole number.
    @inlinable
    public func times(_ factor: Int) throws(AmountError) -> Amount {
        let (product, overflow) = raw.multipliedReportingOverflow(by: Int128(factor))
        guard !overflow else { throw .outOfRange }
        return try Amount(raw: product)
    }

    /// Rounds to a multiple of `10^-digits` (0 ≤ digits ≤ 8).
    @inlinable
    public func rounded(toFractionDigits digits: Int, _ rounding: Rounding) -> Amount {
        precondition(digits >= 0 && digits <= Self.fractionDigits)
        var step: Int128 = 1
        for _ in 0..<(Self.fractionDigits - digits) { step *= 10 }
        let q = Self.divide(raw, by: step, rounding)
        return Amount(uncheckedRaw: q * step)  // |q·step| ≤ |raw| + step: stays in range
    }

    public var description: String { formatted() }
}

/// Rounding direction for a single rounding step.
public enum Rounding: Sendable {
    /// Toward −∞ (floor): equity, payouts, anything credited to an account.
    case down
    /// Toward +∞ (ceiling): margin requirements, anything the segment demands.
    case up
    /// Toward zero (truncation).
    case towardZero
}

public enum AmountError: Error, Sendable, Equatable {
    case outOfRange
    case divisionByZero
}
