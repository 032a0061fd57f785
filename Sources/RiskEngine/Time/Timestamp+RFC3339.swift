// RFC 3339 text form of `Timestamp`, by calendar arithmetic only (no Foundation, no clock):
// the engine and the JSON layer need one exact, locale-free representation.

extension Timestamp {
    /// Parses strict RFC 3339 `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`.
    ///
    /// `t`/`z` may be lowercase (RFC 3339 §5.6 note); the fraction has any number of digits,
    /// kept to the nanosecond (digits past the ninth are dropped, i.e. truncated); offsets
    /// are converted to UTC. Invalid calendar dates (Feb 30), hour 24 and leap second 60 are
    /// rejected, as is anything outside the `Int64` nanosecond range (~1677…2262).
    public static func parseRFC3339(_ text: String) -> Timestamp? {
        var text = text
        return text.withUTF8 { parseRFC3339(bytes: $0) }
    }

    /// The UTC form every response uses: always exactly three fraction digits,
    /// `2026-11-24T17:00:00.000Z`, the time truncated to the millisecond (towards the past).
    /// One fixed shape, because a client's date decoder reads one format: generated clients
    /// failed on a mix of 0, 3 and 9 digits. Milliseconds hold every time the service records
    /// (arrival times are read to the millisecond).
    public var rfc3339: String {
        let billion: Int64 = 1_000_000_000
        var seconds = nanoseconds / billion
        var fraction = nanoseconds % billion
        if fraction < 0 { fraction += billion; seconds -= 1 }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 { secondOfDay += 86_400; days -= 1 }
        let (year, month, day) = Timestamp.civil(fromDays: days)

        var out: [UInt8] = []
        out.reserveCapacity(30)
        if year < 0 { out.append(UInt8(ascii: "-")) }
        Timestamp.appendDigits(Int64(abs(year)), width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        Timestamp.appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        Timestamp.appendDigits(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        Timestamp.appendDigits(secondOfDay / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Timestamp.appendDigits(secondOfDay / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        Timestamp.appendDigits(secondOfDay % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        Timestamp.appendDigits(fraction / 1_000_000, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
        return String(decoding: out, as: UTF8.self)
    }
}

extension Timestamp {
    static func parseRFC3339(bytes b: UnsafeBufferPointer<UInt8>) -> Timestamp? {
        // Fixed layout up to the seconds: YYYY-MM-DDTHH:MM:SS (19 bytes).
        guard b.count >= 20,
              b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: "t"),
              b[13] == UInt8(ascii: ":"), b[16] == UInt8(ascii: ":"),
              let year = digits(b, 0, 4), let month = digits(b, 5, 2), let day = digits(b, 8, 2),
              let hour = digits(b, 11, 2), let minute = digits(b, 14, 2), let second = digits(b, 17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
              hour < 24, minute < 60, second < 60
        else { return nil }

        var index = 19
        var fraction: Int64 = 0
        if b[index] == UInt8(ascii: ".") {
            index += 1
            let start = index
            while index < b.count, let digit = digitValue(b[index]) {
                if index - start < 9 { fraction = fraction * 10 + digit }
                index += 1
            }
            let count = index - start
            guard count > 0 else { return nil }
            for _ in min(count, 9)..<9 { fraction *= 10 }
        }

        guard index < b.count else { return nil }
        var offsetSeconds: Int64 = 0
        switch b[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            index += 1
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign: Int64 = b[index] == UInt8(ascii: "+") ? 1 : -1
            guard b.count == index + 6, b[index + 3] == UInt8(ascii: ":"),
                  let offsetHour = digits(b, index + 1, 2), let offsetMinute = digits(b, index + 4, 2),
                  offsetHour < 24, offsetMinute < 60
            else { return nil }
            offsetSeconds = sign * (offsetHour * 3600 + offsetMinute * 60)
            index += 6
        default:
            return nil
        }
        guard index == b.count else { return nil }

        let days = daysFromCivil(year: year, month: month, day: day)
        // Local time minus offset gives UTC.
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        // Below the epoch, borrow one second so the product stays in range at Int64.min.
        let borrow: Int64 = seconds < 0 && fraction > 0 ? 1 : 0
        let (scaled, o1) = (seconds + borrow).multipliedReportingOverflow(by: 1_000_000_000)
        let (total, o2) = scaled.addingReportingOverflow(fraction - borrow * 1_000_000_000)
        guard !o1, !o2 else { return nil }
        return Timestamp(nanoseconds: total)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// Inverse of `daysFromCivil`.
    static func civil(fromDays days: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func digitValue(_ byte: UInt8) -> Int64? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int64(byte &- UInt8(ascii: "0")) : nil
    }

    private static func digits(_ b: UnsafeBufferPointer<UInt8>, _ start: Int, _ count: Int) -> Int64? {
        var value: Int64 = 0
        for i in start..<(start + count) {
            guard let digit = digitValue(b[i]) else { return nil }
            value = value * 10 + digit
        }
        return value
    }

    private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var divisor: Int64 = 1
        for _ in 1..<max(width, 1) { divisor *= 10 }
        var rest = value
        // Wider values (years > 9999 cannot occur within Int64 nanoseconds) still print whole.
        while divisor * 10 <= rest { divisor *= 10 }
        while divisor > 0 {
            out.append(UInt8(ascii: "0") + UInt8(rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }
}
