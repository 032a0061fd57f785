import Testing
@testable import RiskEngine

@Suite struct TimestampRFC3339Tests {
    // Epoch seconds checked by hand against Python's calendar.timegm.
    @Test(arguments: [
        ("1970-01-01T00:00:00Z", Int64(0)),
        ("2026-11-24T17:00:00Z", 1_795_539_600_000_000_000),
        ("2000-02-29T12:34:56Z", 951_827_696_000_000_000),
        ("1969-12-31T23:59:59Z", -1_000_000_000),
        ("2026-11-24T17:00:00.123Z", 1_795_539_600_123_000_000),
        ("2026-11-24T17:00:00.5Z", 1_795_539_600_500_000_000),
        ("2026-11-24T17:00:00.000000001Z", 1_795_539_600_000_000_001),
        // Any precision is accepted; past the nanosecond the digits are truncated.
        ("2026-11-24T17:00:00.1234567890Z", 1_795_539_600_123_456_789),
        ("2026-11-24T17:00:00.000000000999999999999Z", 1_795_539_600_000_000_000),
        ("2026-11-24t17:00:00z", 1_795_539_600_000_000_000),
        ("2026-11-24T18:30:00+01:30", 1_795_539_600_000_000_000),
        ("2026-11-24T12:00:00-05:00", 1_795_539_600_000_000_000),
        ("2026-11-25T00:00:00+07:00", 1_795_539_600_000_000_000),
        ("2026-11-24T17:00:00-00:00", 1_795_539_600_000_000_000),
        ("1969-12-31T23:59:59.999Z", -1_000_000),
        ("2262-04-11T23:47:16.854775807Z", Int64.max),
        ("1677-09-21T00:12:43.145224192Z", Int64.min),
    ])
    func parses(text: String, nanoseconds: Int64) {
        #expect(Timestamp.parseRFC3339(text) == Timestamp(nanoseconds: nanoseconds))
    }

    @Test(arguments: [
        "", "2026-11-24", "2026-11-24T17:00:00", "2026-11-24 17:00:00Z", "2026-02-30T00:00:00Z",
        "2025-02-29T00:00:00Z", "1900-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-10T00:00:00Z",
        "2026-11-00T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-24T24:00:00Z", "2026-11-24T17:60:00Z",
        "2026-11-24T17:00:60Z", "2026-11-24T17:00:00.Z", "2026-11-24T17:00:00.12a3Z",
        "2026-11-24T17:00:00+0100", "2026-11-24T17:00:00+01", "2026-11-24T17:00:00+24:00",
        "2026-11-24T17:00:00+01:60", "2026-11-24T17:00:00Zjunk", "+2026-11-24T17:00:00Z",
        "2026-1-24T17:00:00Z", "２026-11-24T17:00:00Z", "2262-04-11T23:47:16.854775808Z",
        "1677-09-21T00:12:43.145224191Z", "9999-12-31T23:59:59Z", "2026-11-24T17:00:00 Z",
    ])
    func rejects(text: String) {
        #expect(Timestamp.parseRFC3339(text) == nil)
    }

    // One shape whatever the value: three fraction digits, truncated towards the past.
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_795_539_600_000_000_000, "2026-11-24T17:00:00.000Z"),
        (1_795_539_600_123_000_000, "2026-11-24T17:00:00.123Z"),
        (1_795_539_600_500_000_000, "2026-11-24T17:00:00.500Z"),
        (1_795_539_600_123_400_000, "2026-11-24T17:00:00.123Z"),
        (1_795_539_600_000_000_001, "2026-11-24T17:00:00.000Z"),
        (1_795_539_604_039_413_729, "2026-11-24T17:00:04.039Z"),
        (951_827_696_000_000_000, "2000-02-29T12:34:56.000Z"),
        (-1, "1969-12-31T23:59:59.999Z"),
        (-1_000_000, "1969-12-31T23:59:59.999Z"),
        (-1_000_001, "1969-12-31T23:59:59.998Z"),
        (Int64.max, "2262-04-11T23:47:16.854Z"),
        (Int64.min, "1677-09-21T00:12:43.145Z"),
    ])
    func formats(nanoseconds: Int64, text: String) {
        #expect(Timestamp(nanoseconds: nanoseconds).rfc3339 == text)
    }

    @Test func everyFormattedTimestampHasTheFixedShapeAndParsesToTheMillisecondBelow() {
        // Over an irregular spread of instants (fractions of 0, 3, 6 and 9 digits, both sides
        // of the epoch): always 24 bytes, and parsing gives back the value truncated to the ms.
        var value: Int64 = -2_000_000_000_123_456_789
        while value < 4_000_000_000_000_000_000 {
            let text = Timestamp(nanoseconds: value).rfc3339
            #expect(text.utf8.count == 24)
            #expect(Array(text.utf8)[19] == UInt8(ascii: ".") && text.hasSuffix("Z"))
            let floorMillis = value >= 0 ? value / 1_000_000 : (value - 999_999) / 1_000_000
            #expect(Timestamp.parseRFC3339(text) == Timestamp(nanoseconds: floorMillis * 1_000_000))
            value += 9_876_543_210_987_653
        }
    }

    @Test func roundTripsEveryDayAcrossFourCenturies() {
        // Every day from 1800 to 2200 survives format → parse, which exercises leap years.
        var days = Timestamp.daysFromCivil(year: 1800, month: 1, day: 1)
        let end = Timestamp.daysFromCivil(year: 2200, month: 12, day: 31)
        #expect(days == -62_091)
        while days <= end {
            let civil = Timestamp.civil(fromDays: days)
            #expect(Timestamp.daysFromCivil(year: civil.year, month: civil.month, day: civil.day) == days)
            let stamp = Timestamp(seconds: days * 86_400 + 45_296)
            #expect(Timestamp.parseRFC3339(stamp.rfc3339) == stamp)
            days += 1
        }
    }
}
