import Testing
@testable import HTTPServer

@Suite struct LimitsTests {
    let second: Int64 = 1_000_000_000

    @Test func tokenBucketAllowsBurstThenRefills() {
        var bucket = TokenBucket(limit: HTTPRateLimit(requestsPerSecond: 2, burst: 3), now: 0)
        let r1 = bucket.take(now: 0)
        #expect(r1)
        let r2 = bucket.take(now: 0)
        #expect(r2)
        let r3 = bucket.take(now: 0)
        #expect(r3)
        let r4 = bucket.take(now: 0)
        #expect(!r4)
        #expect(bucket.retryAfterSeconds == 1)
        let r5 = bucket.take(now: second / 2)
        #expect(r5)
        let r6 = bucket.take(now: second / 2)
        #expect(!r6)
        let r7 = bucket.isFull(now: 10 * second)
        #expect(r7)
    }

    /// Two loops with slightly different cached clocks share one bucket: a stale `now` must
    /// not rewind the bucket, or the interval between the two clocks is credited twice.
    @Test func staleClockIsNotCreditedTwice() {
        var bucket = TokenBucket(limit: HTTPRateLimit(requestsPerSecond: 1, burst: 1), now: 0)
        let spent = bucket.take(now: second)          // refilled to the burst of 1, spent
        let stale = bucket.take(now: second / 2)      // the other loop's older clock: nothing new
        let again = bucket.take(now: second)          // back to the newer clock: still nothing new
        let early = bucket.take(now: 3 * second / 2)  // half a second: half a token (a rewound
                                                      // clock would have credited a whole one)
        let later = bucket.take(now: 2 * second)      // one more second: one more token
        #expect(spent && !stale && !again && !early && later)
    }

    @Test func slowBucketAsksForLongerRetry() {
        var bucket = TokenBucket(limit: HTTPRateLimit(requestsPerSecond: 0.1, burst: 1), now: 0)
        let r8 = bucket.take(now: 0)
        #expect(r8)
        let r9 = bucket.take(now: 0)
        #expect(!r9)
        #expect(bucket.retryAfterSeconds == 10)
    }

    @Test func addressTableCapsConnectionsPerAddress() {
        let table = AddressTable(capacity: 100, maxConnections: 2, rate: nil)
        let a = AddressKey(high: 0, low: 1)
        let b = AddressKey(high: 0, low: 2)
        #expect(table.open(a, now: 0))
        #expect(table.open(a, now: 0))
        #expect(!table.open(a, now: 0))
        #expect(table.open(b, now: 0))
        table.close(a)
        #expect(table.open(a, now: 0))
        table.close(a)
        table.close(a)
        table.close(b)
        #expect(table.count == 0)
    }

    @Test func addressTableRateLimitsPerAddress() {
        let table = AddressTable(capacity: 100, maxConnections: nil, rate: HTTPRateLimit(requestsPerSecond: 1, burst: 2))
        let a = AddressKey(high: 0, low: 1)
        #expect(table.takeRequest(a, now: 0) == nil)
        #expect(table.takeRequest(a, now: 0) == nil)
        #expect(table.takeRequest(a, now: 0) == 1)
        #expect(table.takeRequest(AddressKey(high: 0, low: 9), now: 0) == nil)
        #expect(table.takeRequest(a, now: second) == nil)
    }

    @Test func addressTableStaysBounded() {
        let table = AddressTable(capacity: 16, maxConnections: nil, rate: HTTPRateLimit(requestsPerSecond: 1, burst: 1))
        for index in 0..<1000 {
            _ = table.takeRequest(AddressKey(high: 0, low: UInt64(index)), now: Int64(index) * second)
        }
        #expect(table.count <= 16)
        // Entries with open connections survive eviction.
        let busy = AddressTable(capacity: 16, maxConnections: 5, rate: nil)
        for index in 0..<16 { _ = busy.open(AddressKey(high: 1, low: UInt64(index)), now: 0) }
        #expect(busy.open(AddressKey(high: 2, low: 0), now: 0))
        #expect(busy.count == 17)
    }

    @Test func errorBodyIsEscapedJSON() {
        let body = String(decoding: ErrorDocument.json(code: "bad", message: "say \"hi\"\n\\"), as: UTF8.self)
        #expect(body == #"{"error":{"code":"bad","message":"say \"hi\"\u000a\\"}}"#)
    }
}
