@testable import BulkheadService
import HTTPWire
import Testing

/// `Idempotency-Key`: 1–255 visible ASCII characters, taken byte for byte (never
/// percent-decoded), anything else 400 `invalid_header` on every keyed route, changing nothing.
@Suite struct IdempotencyKeyGrammarTests {
    static let collateral = "/v1/segments/majors/collateral"
    static let deposit = #"{"account":"k","asset":"USDC","amount":"5"}"#
    static let everyVisibleCharacter = String(decoding: Array(UInt8(0x21)...UInt8(0x7E)), as: UTF8.self)

    @Test(arguments: [
        "", " ", "has space", "tab\there", String(repeating: "k", count: 256), "caf\u{E9}", "snow\u{2603}man", "del\u{7F}",
        "nul\u{0}",
    ])
    func malformedKeyIsRefusedAndChangesNothing(key: String) async throws {
        let service = try await InProcessService.start()
        defer { Task { await service.stop() } }
        let answer = await service.call(
            .post, Self.collateral, key: TestKeys.trader, body: Self.deposit, headers: [("Idempotency-Key", key)])
        #expect(answer.status == 400)
        #expect(answer.errorCode == "invalid_header")
        let account = await service.call(.get, "/v1/segments/majors/accounts/k", key: TestKeys.reader)
        #expect(account.status == 404, "the refused deposit created no account")
    }

    @Test(arguments: ["k", everyVisibleCharacter, String(repeating: "k", count: 255), "a%20b", "\"quoted\""])
    func wellFormedKeyIsStoredAndReplayed(key: String) async throws {
        let service = try await InProcessService.start()
        defer { Task { await service.stop() } }
        let first = await service.call(.post, Self.collateral, key: TestKeys.trader, body: Self.deposit, headers: [("Idempotency-Key", key)])
        #expect(first.status == 200, "\(first.body)")
        #expect(first.header("Idempotent-Replayed") == nil)
        let again = await service.call(.post, Self.collateral, key: TestKeys.trader, body: Self.deposit, headers: [("Idempotency-Key", key)])
        #expect(again.status == 200)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(again.body == first.body)
        let account = await service.call(.get, "/v1/segments/majors/accounts/k", key: TestKeys.reader)
        #expect(account.body.contains(#""collateralValue":"5""#), "applied once")
    }

    @Test func percentEncodedKeyIsNotTheDecodedKey() async throws {
        // "k%41" and "kA" are two keys: a different body under the other one is not a reuse.
        let service = try await InProcessService.start()
        defer { Task { await service.stop() } }
        let encoded = await service.call(.post, Self.collateral, key: TestKeys.trader, body: Self.deposit, headers: [("Idempotency-Key", "k%41")])
        let plain = await service.call(
            .post, Self.collateral, key: TestKeys.trader, body: #"{"account":"k","asset":"USDC","amount":"7"}"#,
            headers: [("Idempotency-Key", "kA")])
        #expect(encoded.status == 200)
        #expect(plain.status == 200, "\(plain.body)")
        #expect(plain.header("Idempotent-Replayed") == nil)
        let account = await service.call(.get, "/v1/segments/majors/accounts/k", key: TestKeys.reader)
        #expect(account.body.contains(#""collateralValue":"12""#), "both deposits applied")
    }

    @Test func aKeySentTwiceIsRefused() async throws {
        let service = try await InProcessService.start()
        defer { Task { await service.stop() } }
        let answer = await service.call(
            .post, Self.collateral, key: TestKeys.trader, body: Self.deposit, headers: [("Idempotency-Key", "a"), ("Idempotency-Key", "b")])
        #expect(answer.status == 400)
        #expect(answer.errorCode == "invalid_header")
    }

    /// Every keyed route checks the grammar, also those that ignore a well-formed key (a
    /// pre-trade check, a read): the client hears of its malformed key on the first request.
    @Test(arguments: [
        (HTTPMethod.post, "/v1/segments/majors/prices", TestKeys.oracle, #"{"prices":[]}"#),
        (.post, "/v1/segments/majors/positions", TestKeys.trader, #"{"account":"k","market":"BTC-USD","size":"1","price":"1"}"#),
        (.post, "/v1/segments/majors/orders/check", TestKeys.trader, #"{"account":"k","market":"BTC-USD","size":"1","price":"1"}"#),
        (.post, "/v1/segments/majors/collateral", TestKeys.trader, deposit),
        (.post, "/v1/segments", TestKeys.admin, "{}"),
        (.get, "/v1/segments", TestKeys.reader, nil),
        (.get, "/v1/segments/majors", TestKeys.reader, nil),
        (.get, "/v1/segments/majors/liquidations", TestKeys.reader, nil),
    ] as [(HTTPMethod, String, String, String?)])
    func everyKeyedRouteChecksTheGrammar(method: HTTPMethod, path: String, key: String, body: String?) async throws {
        let service = try await InProcessService.start()
        defer { Task { await service.stop() } }
        let answer = await service.call(method, path, key: key, body: body, headers: [("Idempotency-Key", "two words")])
        #expect(answer.status == 400, "\(path): \(answer.body)")
        #expect(answer.errorCode == "invalid_header")
        let wellFormed = await service.call(method, path, key: key, body: body, headers: [("Idempotency-Key", "one-word")])
        #expect(wellFormed.errorCode != "invalid_header", "\(path)")
    }

    @Test func grammarBoundaries() {
        #expect(IdempotencyKey.isValid(String(repeating: "x", count: 255)))
        #expect(!IdempotencyKey.isValid(String(repeating: "x", count: 256)))
        #expect(IdempotencyKey.isValid("!") && IdempotencyKey.isValid("~"))
        #expect(!IdempotencyKey.isValid(" ") && !IdempotencyKey.isValid("\u{7F}") && !IdempotencyKey.isValid(""))
    }
}
