/// Raw fixed-point helpers for the engine's hot paths. Values are `Amount.raw` integers
/// (scale 10^-8); every function rounds exactly once and throws instead of trapping.
enum Fixed {
    static let unit: Int128 = Amount.unitRaw
    static let unit2: Int128 = Amount.unitRaw * Amount.unitRaw

    @inline(__always)
    static func checked(_ raw: Int128) throws(AmountError) -> Int128 {
        guard raw >= -Amount.limitRaw, raw <= Amount.limitRaw else { throw .outOfRange }
        return raw
    }

    /// `x / d` for 0 < d < 2^64, rounded once: one hardware 128/64 division in the common case
    /// (the generic Int128 `/` and `%` are two library calls).
    @inline(__always)
    static func divide(_ x: Int128, by d: Int128, _ rounding: Rounding) -> Int128 {
        let magnitude = x.magnitude
        let divisor = UInt64(truncatingIfNeeded: d)
        let high = UInt64(truncatingIfNeeded: magnitude >> 64)
        guard high < divisor else { return Amount.divide(x, by: d, rounding) }
        let (q, r) = divisor.dividingFullWidth((high: high, low: UInt64(truncatingIfNeeded: magnitude)))
        var quotient = Int128(q)
        if x < 0 {
            quotient = -quotient
            if r != 0, rounding == .down { quotient -= 1 }
        } else if r != 0, rounding == .up {
            quotient += 1
        }
        return quotient
    }

    /// `a·b` (two amounts), rounded once.
    @inline(__always)
    static func mul(_ a: Int128, _ b: Int128, _ rounding: Rounding) throws(AmountError) -> Int128 {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if !overflow { return try checked(divide(product, by: unit, rounding)) }
        return try Amount.mulDiv(a, b, unit, rounding)
    }

    /// `a·b·c` for non-negative amounts, rounded once (no intermediate rounding).
    /// `c` is the small factor (a fraction or weight).
    static func mul3(_ a: Int128, _ b: Int128, _ c: Int128, _ rounding: Rounding) throws(AmountError) -> Int128 {
        let (ab, o1) = a.multipliedReportingOverflow(by: b)
        if !o1 {
            let (abc, o2) = ab.multipliedReportingOverflow(by: c)
            if !o2 { return try checked(divide(abc, by: unit2, rounding)) }
        }
        guard a >= 0, b >= 0, c >= 0, c <= 1_000_000_000_000_000_000 else { throw .outOfRange }
        // ab = q·10^8 + r, q·c = q2·10^8 + r2  ⇒  abc/10^16 = q2 + (r2·10^8 + r·c)/10^16
        let q = try Amount.mulDiv(a, b, unit, .down)
        let r = ((a % unit) * (b % unit)) % unit
        let q2 = try Amount.mulDiv(q, c, unit, .down)
        let r2 = ((q % unit) * (c % unit)) % unit
        let rest = r2 * unit + r * c
        return try checked(q2 + divide(rest, by: unit2, rounding))
    }

    /// `(a·b + c·d) / e` for non-negative factors and e > 0, rounded once (weighted average).
    static func weightedAverage(_ a: Int128, _ b: Int128, _ c: Int128, _ d: Int128, over e: Int128, _ rounding: Rounding) throws(AmountError) -> Int128 {
        guard a >= 0, b >= 0, c >= 0, d >= 0, e > 0 else { throw .outOfRange }
        let p1 = a.magnitude.multipliedFullWidth(by: b.magnitude)
        let p2 = c.magnitude.multipliedFullWidth(by: d.magnitude)
        let (low, carry) = p1.low.addingReportingOverflow(p2.low)
        let (high1, o1) = p1.high.addingReportingOverflow(p2.high)
        let (high, o2) = high1.addingReportingOverflow(carry ? 1 : 0)
        guard !o1, !o2 else { throw .outOfRange }
        let divisor = e.magnitude
        guard high < divisor else { throw .outOfRange }
        var (q, r) = divisor.dividingFullWidth((high: high, low: low))
        if r != 0, rounding == .up { q += 1 }
        guard q <= UInt128(Amount.limitRaw) else { throw .outOfRange }
        return Int128(q)
    }

    /// Sign of `a·b − c·d`, exactly (256-bit products).
    static func compareProducts(_ a: Int128, _ b: Int128, _ c: Int128, _ d: Int128) -> Int {
        func signed(_ x: Int128, _ y: Int128) -> (negative: Bool, high: UInt128, low: UInt128) {
            let p = x.magnitude.multipliedFullWidth(by: y.magnitude)
            let negative = (x < 0) != (y < 0) && x != 0 && y != 0
            return (negative, p.high, p.low)
        }
        let l = signed(a, b), r = signed(c, d)
        let lZero = l.high == 0 && l.low == 0, rZero = r.high == 0 && r.low == 0
        let lSign = lZero ? 0 : (l.negative ? -1 : 1)
        let rSign = rZero ? 0 : (r.negative ? -1 : 1)
        if lSign != rSign { return lSign < rSign ? -1 : 1 }
        if lSign == 0 { return 0 }
        let magnitudeOrder: Int = l.high != r.high ? (l.high < r.high ? -1 : 1) : (l.low == r.low ? 0 : (l.low < r.low ? -1 : 1))
        return lSign > 0 ? magnitudeOrder : -magnitudeOrder
    }
}

extension Amount {
    init(fixed raw: Int128) { self.init(uncheckedRaw: raw) }
}
