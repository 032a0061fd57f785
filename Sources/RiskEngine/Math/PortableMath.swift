/// `ln` and `2^y` from IEEE 754 basic operations only (+ − × ÷, exact exponent/significand
/// splits): every platform computes them bit for bit alike, unlike a C library's `log`/`pow`,
/// whose last bit may differ. The volatility statistic decides modes, modes decide margins,
/// so a replay elsewhere must reproduce it exactly (RISK.md "Regimes").
///
/// Accuracy: within a few ulp of the true value (tests compare with 30-digit references);
/// determinism matters more than the last ulp. Series lengths are fixed, never "until small".
enum PortableMath {
    /// ln 2 split so that `k·ln2Hi` is exact for |k| < 2^11 (ln2Hi has 42 significant bits).
    static let ln2Hi = 0.693147180369123816490
    static let ln2Lo = 1.90821492927058770002e-10
    static let ln2 = 0.6931471805599453
    static let sqrtHalf = 0.70710678118654752440

    /// Natural logarithm; `nan` for x ≤ 0 or non-finite input (callers treat it as no sample).
    static func log(_ x: Double) -> Double {
        guard x > 0, x.isFinite else { return .nan }
        // x = m·2^k, m in [√½, √2): exact.
        var k = Int(x.exponent)
        var m = x.significand  // [1, 2)
        if m > 2 * sqrtHalf {
            m /= 2  // exact
            k += 1
        }
        // ln m = 2·atanh(s) = 2·(s + s³/3 + s⁵/5 + …), s = (m − 1)/(m + 1), |s| ≤ 0.1716:
        // s² ≤ 0.0295, so 13 terms reach 10^-20. Horner from the smallest term, a fixed order.
        let s = (m - 1) / (m + 1)
        let s2 = s * s
        var sum = 1.0 / 25
        for n in stride(from: 11, through: 0, by: -1) { sum = 1.0 / Double(2 * n + 1) + s2 * sum }
        sum *= s
        let kd = Double(k)
        return kd * ln2Hi + (kd * ln2Lo + 2 * sum)
    }

    /// 2^y; 0 below −1075, +∞ above 1024.
    static func exp2(_ y: Double) -> Double {
        guard !y.isNaN else { return .nan }
        if y < -1075 { return 0 }
        if y > 1024 { return .infinity }
        let n = y.rounded(.down)
        let f = y - n  // [0, 1), exact
        // 2^f = e^(f·ln2) = 1 + z(1 + z/2(1 + z/3(…))), z in [0, 0.6932): 20 terms reach 10^-20.
        let z = f * ln2
        var sum = 1.0
        for i in stride(from: 20, through: 1, by: -1) { sum = 1 + z * sum / Double(i) }
        // Scale by 2^n in steps that stay exact (and denormalize only at the end).
        var result = sum
        var exponent = Int(n)
        while exponent < -1000 {
            result *= 0x1p-1000
            exponent += 1000
        }
        return result * Double(sign: .plus, exponent: exponent, significand: 1)
    }
}
