@testable import BulkheadService
import Journal
import RiskEngine
import Testing

/// 100 concurrent clients: every answer equals what the same commands give applied serially
/// in the journal's order (which is each segment's actor order).
@Suite(.serialized) struct ConcurrencyTests {
    struct Request: Sendable {
        var path: String
        var body: String
        /// How the journaled command is recognised when replaying.
        var identity: String
    }

    static let markets = ["majors": ("BTC-USD", "64000"), "alts": ("SOL-USD", "150"), "stable": ("EUR-USD", "1.1")]
    static let sizeStep = ["majors": Int128(100_000), "alts": Int128(10_000_000), "stable": Int128(10_000_000_000)]

    static func script(client: Int, segment: String) -> [Request] {
        let (market, price) = markets[segment]!
        let account = "c\(client)"
        let deposit = Amount(10_000 + client).formatted()
        let size = Amount(uncheckedRaw: Int128(client + 1) * sizeStep[segment]!).formatted()
        let reduce = Amount(uncheckedRaw: -Int128(client + 1) * sizeStep[segment]! / 2).formatted()
        let withdraw = Amount(-(client + 1)).formatted()
        let base = "/v1/segments/\(segment)"
        return [
            Request(
                path: base + "/collateral", body: #"{"account":"\#(account)","asset":"USDC","amount":"\#(deposit)"}"#,
                identity: "collateral|\(account)|\(deposit)"),
            Request(
                path: base + "/positions", body: #"{"account":"\#(account)","market":"\#(market)","size":"\#(size)","price":"\#(price)"}"#,
                identity: "fill|\(account)|\(size)"),
            Request(
                path: base + "/collateral", body: #"{"account":"\#(account)","asset":"USDC","amount":"\#(withdraw)"}"#,
                identity: "collateral|\(account)|\(withdraw)"),
            Request(
                path: base + "/positions", body: #"{"account":"\#(account)","market":"\#(market)","size":"\#(reduce)","price":"\#(price)"}"#,
                identity: "fill|\(account)|\(reduce)"),
        ]
    }

    @Test(arguments: [false, true]) func concurrentClientsMatchSerialReplay(oneSegment: Bool) async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let segments = oneSegment ? ["majors"] : ["majors", "alts", "stable"]
        for segment in segments {
            let (market, price) = Self.markets[segment]!
            #expect(try await service.price(segment, [(market, price)]).status == 200)
        }
        let port = service.port
        let recorded = try await withThrowingTaskGroup(of: [(String, String, TestResponse)].self) { group in
            for client in 0..<100 {
                let segment = segments[client % segments.count]
                let requests = Self.script(client: client, segment: segment)
                group.addTask {
                    try await onThread {
                        let connection = try TestHTTPClient(port: port)
                        return try requests.map { request in
                            let response = try connection.request(
                                "POST", request.path,
                                headers: [("Authorization", "Bearer \(TestKeys.trader)"), ("Content-Type", "application/json")],
                                body: Array(request.body.utf8))
                            return (segment, request.identity, response)
                        }
                    }
                }
            }
            var all: [String: [String: TestResponse]] = [:]
            for try await results in group {
                for (segment, identity, response) in results { all[segment, default: [:]][identity] = response }
            }
            return all
        }

        for segment in segments {
            let answers = recorded[segment] ?? [:]
            #expect(answers.count == 4 * (100 / segments.count + (segment == "majors" && segments.count == 3 ? 1 : 0)))
            #expect(answers.values.allSatisfy { $0.status == 200 })
            // Replay the journal serially and compare every answer byte for byte.
            let entries = try service.journal.entries(segment: segment, after: 0, limit: 100_000)
            var replayed: Segment?
            var compared = 0
            for entry in entries {
                if entry.kind == JournalKind.segmentCreated {
                    replayed = try Segment(spec: SegmentSpec(json: JSONReader.parse(entry.payload)))
                    continue
                }
                switch try EngineCommand(decoding: entry.payload) {
                case .fill(let fill):
                    let body = try replayed!.apply(fill).jsonBytes
                    #expect(answers["fill|\(fill.account)|\(fill.size.formatted())"]?.body == body)
                    compared += 1
                case .collateral(let movement):
                    let body = try replayed!.apply(movement).jsonBytes
                    #expect(answers["collateral|\(movement.account)|\(movement.amount.formatted())"]?.body == body)
                    compared += 1
                case .prices(let batch):
                    _ = replayed!.apply(batch)
                case let other:
                    try replayed!.apply(other)
                }
            }
            #expect(compared == answers.count)
            #expect(replayed?.stateHash == (await service.app.registry.engine(segment)!.stateHash()))
        }
    }
}
