extension Amount {
    /// `a · b / c` computed exactly with a 256-bit intermediate, rounded once.
    @inlinable
    public static func mulDiv(_ a: Int128, _ b: Int128, _ c: Int128, _ rounding: Rounding) throws(AmountError) -> Int128 {
        guard c != 0 else { throw .divisionByZero }
        let negative = (a < 0) != (b < 0) && a != 0 && b != 0
        let sign = negative != (c < 0)
        let product = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let divisor = c.magnitude
        // The quotient fits in UInt128 only if the high half is below the divisor.
        guard product.high < divisor else { throw .outOfRange }
        let (q, r) = divisor.dividingFullWidth((high: product.high, low: product.low))
        var quotient = q
        if r != 0 {
            switch rounding {
            case .up where !sign, .down where sign:
                quotient += 1
            default:
                break
            }
        }
        guard quotient <= UInt128(limitRaw) else { throw .outOfRange }
        return sign ? -Int128(quotient) : Int128(quotient)
    }

    /// `x / d` for d > 0, rounded once.
    @inlinable
    static func divide(_ x: Int128, by d: Int128, _ rounding: Rounding) -> Int128 {
        // Most products of everyday amounts fit 64 bits: one hardware division (a multiply
        // for the constant divisors) instead of two calls into the 128-bit runtime.
        if let x64 = Int64(exactly: x), let d64 = Int64(exactly: d) {
            let (q, r) = x64.quotientAndRemainder(dividingBy: d64)
            guard r != 0 else { return Int128(q) }
            switch rounding {
            case .down: return Int128(x64 < 0 ? q - 1 : q)
            case .up: return Int128(x64 > 0 ? q + 1 : q)
            case .towardZero: return Int128(q)
            }
        }
        let q = x / d
        let r = x % d
        guard r != 0 else { return q }
        switch rounding {
        case .down: return x < 0 ? q - 1 : q
        case .up: return x > 0 ? q + 1 : q
        case .towardZero: return q
        }
    }
}
