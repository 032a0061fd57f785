/// An exact value at scale 10^-24 (three Amount factors multiplied): `units + dust / 10^16`,
/// `units` in Amount raw units (10^-8), `0 ≤ dust < 10^16`. Valuation sums its products here
/// with no rounding at all, then rounds each figure once (RISK.md "round once, at the end");
/// decisions compare these exact sums, never the rounded figures.
struct ExactValue: Sendable, Hashable, Comparable {
    /// 10^16: dust per raw unit.
    static let dustPerUnit: Int128 = Fixed.unit2

    /// ⌊value⌋ in raw units.
    var units: Int128
    /// The fraction of a raw unit, in 10^-16 of it; always in [0, 10^16).
    var dust: Int128

    static let zero = ExactValue(units: 0, dust: 0)

    init(units: Int128, dust: Int128 = 0) {
        self.units = units
        self.dust = dust
    }

    /// ⌊value⌋: equity and payouts.
    var roundedDown: Int128 { units }
    /// ⌈value⌉: requirements.
    var roundedUp: Int128 { dust == 0 ? units : units + 1 }
    var isNegative: Bool { units < 0 }
    var isZero: Bool { units == 0 && dust == 0 }

    static func < (lhs: ExactValue, rhs: ExactValue) -> Bool {
        lhs.units != rhs.units ? lhs.units < rhs.units : lhs.dust < rhs.dust
    }

    static func + (lhs: ExactValue, rhs: ExactValue) throws(AmountError) -> ExactValue {
        var dust = lhs.dust + rhs.dust
        var carry: Int128 = 0
        if dust >= dustPerUnit { dust -= dustPerUnit; carry = 1 }
        let (units, overflow) = lhs.units.addingReportingOverflow(rhs.units &+ carry)
        guard !overflow, units >= -Amount.limitRaw * 1000, units <= Amount.limitRaw * 1000 else { throw .outOfRange }
        return ExactValue(units: units, dust: dust)
    }

    var negated: ExactValue {
        dust == 0 ? ExactValue(units: -units) : ExactValue(units: -units - 1, dust: Self.dustPerUnit - dust)
    }

    static func - (lhs: ExactValue, rhs: ExactValue) throws(AmountError) -> ExactValue {
        try lhs + rhs.negated
    }

    /// `a·b` for two raw amounts (scale 10^-16), exactly.
    static func product(_ a: Int128, _ b: Int128) throws(AmountError) -> ExactValue {
        let (q, r) = try floorDivMod(a, b, by: Fixed.unit)
        return ExactValue(units: q, dust: r * Fixed.unit)
    }

    /// `a·b·c` for three raw amounts (scale 10^-24), exactly; `c` ≥ 0 is the small factor
    /// (a fraction, weight or price ≤ 10^12 units).
    static func product(_ a: Int128, _ b: Int128, _ c: Int128) throws(AmountError) -> ExactValue {
        guard c >= 0, c <= 100_000_000_000_000_000_000 else { throw .outOfRange }
        // a·b = (q1·10^8 + r1)  ⇒  a·b·c / 10^16 = q1·c / 10^8 + r1·c / 10^16
        let (q1, r1) = try floorDivMod(a, b, by: Fixed.unit)
        let (q2, r2) = try floorDivMod(q1, c, by: Fixed.unit)
        let dust = r2 * Fixed.unit + r1 * c  // < 10^16 + 10^28: fits
        return ExactValue(units: q2 + dust / dustPerUnit, dust: dust % dustPerUnit)
    }

    /// `(⌊a·b / d⌋, a·b mod d)` with the remainder in [0, d), for d > 0, exactly (256-bit).
    static func floorDivMod(_ a: Int128, _ b: Int128, by d: Int128) throws(AmountError) -> (Int128, Int128) {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        if !overflow { return floorDivMod(product, by: d) }
        let negative = (a < 0) != (b < 0)
        let wide = a.magnitude.multipliedFullWidth(by: b.magnitude)
        guard wide.high < d.magnitude else { throw .outOfRange }
        let (mq, mr) = d.magnitude.dividingFullWidth((high: wide.high, low: wide.low))
        guard mq < UInt128(Int128.max) else { throw .outOfRange }
        if !negative { return (Int128(mq), Int128(mr)) }
        return mr == 0 ? (-Int128(mq), 0) : (-Int128(mq) - 1, d - Int128(mr))
    }

    /// `(⌊x / d⌋, x mod d)` for 0 < d: one hardware 128/64 division when it fits (the generic
    /// Int128 `/` and `%` are two library calls on the valuation's hot path).
    @inline(__always)
    static func floorDivMod(_ x: Int128, by d: Int128) -> (Int128, Int128) {
        let magnitude = x.magnitude
        let high = UInt64(truncatingIfNeeded: magnitude >> 64)
        var q: Int128, r: Int128
        if d <= Int128(UInt64.max), high < UInt64(truncatingIfNeeded: d) {
            let (mq, mr) = UInt64(truncatingIfNeeded: d).dividingFullWidth((high: high, low: UInt64(truncatingIfNeeded: magnitude)))
            q = Int128(mq)
            r = Int128(mr)
            if x < 0 { q = -q; r = -r }
        } else {
            q = x / d
            r = x % d
        }
        if r < 0 { q -= 1; r += d }
        return (q, r)
    }

    /// Sign of `self·m − other·n` for m, n > 0 (e.g. E·1 vs MM·(1+b)), exactly.
    func compare(times m: Int128, _ other: ExactValue, times n: Int128) -> Int {
        // value·m = units·m + ⌊dust·m / 10^16⌋ + (dust·m mod 10^16) / 10^16.
        func scaled(_ v: ExactValue, _ k: Int128) -> (high: Int128, low: UInt128, rest: Int128) {
            // dust < 10^16 and k < 2^127: the quotient always fits, so this never fails.
            let (carry, rest) = (try? Self.floorDivMod(v.dust, k, by: Self.dustPerUnit)) ?? (0, 0)
            let p = v.units.multipliedFullWidth(by: k)
            let (low, o) = p.low.addingReportingOverflow(UInt128(carry))
            return (p.high + (o ? 1 : 0), low, rest)
        }
        let l = scaled(self, m), r = scaled(other, n)
        if l.high != r.high { return l.high < r.high ? -1 : 1 }
        if l.low != r.low { return l.low < r.low ? -1 : 1 }
        return l.rest == r.rest ? 0 : (l.rest < r.rest ? -1 : 1)
    }
}
