@testable import BulkheadService
import Foundation
import HTTPWire
import RiskEngine
import Testing

/// Every timestamp in every response has one shape, `YYYY-MM-DDTHH:MM:SS.mmmZ`: a generated
/// client's date decoder reads exactly one format, and the service used to write 0, 3 or 9
/// fraction digits depending on the value.
@Suite struct ResponseTimestampShapeTests {
    /// An arrival time with nanoseconds that are not whole milliseconds: what the wall clock gives.
    static let arrival = Timestamp(nanoseconds: 1_795_539_604_039_413_729)

    @Test func everyTimestampInEveryResponseHasTheFixedShape() async throws {
        let clock = ManualClock(Self.arrival)
        let service = try await InProcessService.start(clock: clock)
        defer { Task { await service.stop() } }
        var answers: [(String, InProcessService.Answer)] = []

        // A price with nine fraction digits, then the README walk-through down to a liquidation.
        func price(_ value: String) async {
            let stamp = String(clock.text.dropLast()) + "413729Z"
            let body = #"{"prices":[{"market":"BTC-USD","price":"\#(value)","timestamp":"\#(stamp)","source":"feed-a"}]}"#
            answers.append(("prices \(value)", await service.call(.post, "/v1/segments/majors/prices", key: TestKeys.oracle, body: body)))
        }
        let fill = #"{"account":"bob","market":"BTC-USD","size":"1","price":"64000"}"#
        await price("64000")
        answers.append(("deposit", await service.call(
            .post, "/v1/segments/majors/collateral", key: TestKeys.trader, body: #"{"account":"bob","asset":"USDC","amount":"4000"}"#)))
        for _ in 0..<2 {  // the second answer is the stored one, replayed
            answers.append(("fill", await service.call(
                .post, "/v1/segments/majors/positions", key: TestKeys.trader, body: fill, headers: [("Idempotency-Key", "bob-fill-1")])))
        }
        answers.append(("check", await service.call(.post, "/v1/segments/majors/orders/check", key: TestKeys.trader, body: fill)))
        clock.advance(seconds: 1)
        await price("61000")

        // A transfer over the majors → stable bridge, and its record read back.
        answers.append(("carol deposit", await service.call(
            .post, "/v1/segments/majors/collateral", key: TestKeys.trader, body: #"{"account":"carol","asset":"USDC","amount":"1000"}"#)))
        let transfer = await service.call(
            .post, "/v1/transfers", key: TestKeys.trader,
            body: #"{"account":"carol","from":"majors","to":"stable","asset":"USDC","amount":"100"}"#)
        answers.append(("transfer", transfer))
        let transferID = try #require(transfer.body.firstMatch(of: /"id":"(tr-[0-9]+)"/)?.1, "\(transfer.body)")

        // Then every read route in the table (streams aside), with the walk-through's names.
        for endpoint in Endpoint.allCases where endpoint.method == .get && endpoint.kind != .stream {
            let path = endpoint.pattern
                .replacingOccurrences(of: "{segment}", with: "majors")
                .replacingOccurrences(of: "{account}", with: "bob")
                .replacingOccurrences(of: "{transfer}", with: String(transferID))
            let key = endpoint.permission == nil ? nil : TestKeys.admin
            answers.append((path, await service.call(.get, path, key: key)))
        }

        var seen = 0
        var liquidationStamps = 0
        var transferStamps = 0
        for (name, answer) in answers where answer.header("Content-Type")?.hasPrefix("application/json") ?? answer.body.hasPrefix("{") {
            guard let data = answer.body.data(using: .utf8), let json = try? JSONSerialization.jsonObject(with: data) else {
                Issue.record("\(name): not JSON: \(answer.body.prefix(200))")
                continue
            }
            Self.visit(json, key: nil) { key, text in
                if Self.looksLikeATime(key: key, text: text) {
                    seen += 1
                    #expect(Self.hasFixedShape(text), "\(name): \(key ?? "?") = \(text)")
                    if key == "timestamp" && name == "prices 61000" { liquidationStamps += 1 }
                    if key == "timestamp" && (name == "transfer" || name.hasPrefix("/v1/transfers/")) { transferStamps += 1 }
                }
            }
        }
        #expect(liquidationStamps >= 2, "the liquidation cascade's decisions were checked")
        #expect(transferStamps >= 2, "the transfer's time was checked, in its answer and its record")
        #expect(seen >= 10, "timestamps were found to check: \(seen)")
    }

    @Test(arguments: [
        ("2026-11-24T17:00:04.039Z", true), ("1970-01-01T00:00:00.000Z", true),
        ("2026-11-24T17:00:04Z", false), ("2026-11-24T17:00:04.039413729Z", false), ("2026-11-24T17:00:04.0390Z", false),
        ("2026-11-24T17:00:04.039+00:00", false), ("2026-11-24t17:00:04.039z", false),
    ])
    func theShapeCheckItself(text: String, fixed: Bool) {
        #expect(Self.hasFixedShape(text) == fixed)
    }

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`, 24 bytes.
    static func hasFixedShape(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count == 24 else { return false }
        let separators: [Int: UInt8] = [
            4: UInt8(ascii: "-"), 7: UInt8(ascii: "-"), 10: UInt8(ascii: "T"), 13: UInt8(ascii: ":"), 16: UInt8(ascii: ":"),
            19: UInt8(ascii: "."), 23: UInt8(ascii: "Z"),
        ]
        for (index, byte) in bytes.enumerated() {
            if let separator = separators[index] {
                guard byte == separator else { return false }
            } else if !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                return false
            }
        }
        return true
    }

    /// A time by its field name, or any string that starts like a date and time.
    static func looksLikeATime(key: String?, text: String) -> Bool {
        if let key, key == "timestamp" || key.hasSuffix("Time") || key.hasSuffix("At") { return true }
        let bytes = Array(text.utf8.prefix(11))
        guard bytes.count == 11, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-") else { return false }
        return bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t")
    }

    static func visit(_ value: Any, key: String?, _ body: (String?, String) -> Void) {
        switch value {
        case let text as String: body(key, text)
        case let object as [String: Any]: for (name, member) in object { visit(member, key: name, body) }
        case let array as [Any]: for element in array { visit(element, key: key, body) }
        default: break
        }
    }
}
