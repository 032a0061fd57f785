@testable import BulkheadService
import Journal
import Testing

/// API.md: every route that names a segment answers 404 `unknown_segment` when the segment
/// does not exist, and changes nothing. The test walks `Endpoint.allCases`, so a new route
/// must say here how it names a segment (the switch has no default) before it compiles.
@Suite(.serialized) struct UnknownSegmentTests {
    /// One request naming an unknown segment; the body is otherwise valid, so the only thing
    /// wrong with it is the segment.
    struct Probe: CustomStringConvertible {
        var method: String
        var target: String
        var body: String?
        /// API.md "Bridges" lists "both segments exist" among a bridge's validation rules
        /// (422, field named); every other route answers 404 `unknown_segment`.
        var status = 404
        var code = "unknown_segment"
        var description: String { "\(method) \(target) \(body ?? "")" }
    }

    static let ghost = "ghost-segment"

    /// How each route names a segment; `[]` for routes that name none (the reason beside it).
    static func probes(_ endpoint: Endpoint, now: String) -> [Probe] {
        let base = "/v1/segments/\(ghost)"
        switch endpoint {
        // Name no segment.
        case .healthz, .readyz, .metrics, .openAPIYAML, .openAPIJSON, .console, .consoleAsset: return []
        case .listSegments, .listBridges: return []
        // Its path names a transfer; the transfer's segments come from the record.
        case .getTransfer: return []
        // Creating a segment that does not exist yet is the route's purpose.
        case .createSegment: return []
        case .getSegment: return [Probe(method: "GET", target: base)]
        case .postPrices:
            return [
                Probe(
                    method: "POST", target: base + "/prices",
                    body: #"{"prices":[{"market":"BTC-USD","price":"64000","timestamp":"\#(now)","source":"feed-a"}]}"#)
            ]
        case .postPositions:
            return [Probe(method: "POST", target: base + "/positions", body: #"{"account":"alice","market":"BTC-USD","size":"0.1","price":"64000"}"#)]
        case .checkOrder:
            return [Probe(method: "POST", target: base + "/orders/check", body: #"{"account":"alice","market":"BTC-USD","size":"0.1","price":"64000"}"#)]
        case .postCollateral:
            return [Probe(method: "POST", target: base + "/collateral", body: #"{"account":"alice","asset":"USDC","amount":"100"}"#)]
        case .getAccount: return [Probe(method: "GET", target: base + "/accounts/alice")]
        case .listAccounts: return [Probe(method: "GET", target: base + "/accounts?limit=10")]
        case .listLiquidations: return [Probe(method: "GET", target: base + "/liquidations")]
        case .events: return [Probe(method: "GET", target: base + "/events")]
        case .putParams: return [Probe(method: "PUT", target: base + "/params", body: #"{"expectedVersion":1,"reason":"probe"}"#)]
        case .paramsHistory: return [Probe(method: "GET", target: base + "/params/history")]
        case .putMode: return [Probe(method: "PUT", target: base + "/mode", body: #"{"mode":"halted","reason":"probe"}"#)]
        case .postInsurance: return [Probe(method: "POST", target: base + "/insurance", body: #"{"amount":"100","reason":"probe"}"#)]
        case .postTransfers:
            return [
                Probe(method: "POST", target: "/v1/transfers", body: #"{"account":"alice","from":"\#(ghost)","to":"alts","asset":"USDC","amount":"1"}"#),
                Probe(method: "POST", target: "/v1/transfers", body: #"{"account":"alice","from":"majors","to":"\#(ghost)","asset":"USDC","amount":"1"}"#),
            ]
        case .putBridge:
            let rest = #""asset":"USDC","windowSeconds":60,"windowLimit":"1000","maxTransfer":"100","elevatedFactor":"0.5","enabled":true"#
            return [
                Probe(method: "PUT", target: "/v1/bridges", body: #"{"from":"\#(ghost)","to":"alts",\#(rest)}"#, status: 422, code: "invalid_bridge"),
                Probe(method: "PUT", target: "/v1/bridges", body: #"{"from":"majors","to":"\#(ghost)",\#(rest)}"#, status: 422, code: "invalid_bridge"),
            ]
        case .deleteBridge:
            return [
                Probe(method: "DELETE", target: "/v1/bridges?from=\(ghost)&to=alts&asset=USDC"),
                Probe(method: "DELETE", target: "/v1/bridges?from=majors&to=\(ghost)&asset=USDC"),
            ]
        case .postStress:
            return [
                Probe(method: "POST", target: "/v1/stress", body: #"{"segments":["\#(ghost)"],"shocks":[{"market":"BTC-USD","change":"-0.1"}]}"#),
                Probe(
                    method: "POST", target: "/v1/stress",
                    body: #"{"shocks":[{"segment":"\#(ghost)","market":"BTC-USD","change":"-0.1"}]}"#),
            ]
        }
    }

    /// Everything a request could have changed: each segment's state hash and last journal
    /// sequence, the set of segments, the bridges.
    static func fingerprint(_ service: TestService) async throws -> String {
        var parts: [String] = []
        for engine in service.app.registry.all {
            let hash = await engine.stateHash()
            parts.append("\(engine.id) hash=\(hash) seq=\(String(describing: try service.journal.lastSequence(segment: engine.id)))")
        }
        parts.append("journal segments=\(try service.journal.segmentIDs())")
        parts.append("bridges=\(try await service.call("GET", "/v1/bridges", key: TestKeys.admin).text)")
        return parts.joined(separator: "\n")
    }

    @Test func everyRouteNamingAnUnknownSegmentAnswers404AndChangesNothing() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        // Some state first, so "nothing changed" is about a non-empty book.
        #expect(try await service.deposit("majors", "alice", "USDC", "1000").status == 200)
        let before = try await Self.fingerprint(service)
        var probed = 0
        for endpoint in Endpoint.allCases {
            for probe in Self.probes(endpoint, now: service.clock.text) {
                probed += 1
                let response = try await service.call(probe.method, probe.target, key: TestKeys.admin, body: probe.body)
                #expect(response.status == probe.status, "\(endpoint): \(probe) → \(response.status) \(response.text)")
                #expect(response.errorCode == probe.code, "\(endpoint): \(probe) → \(response.text)")
                #expect(response.text.contains(Self.ghost), "\(endpoint): the message names the segment: \(response.text)")
            }
        }
        #expect(probed >= 20)
        #expect(try await Self.fingerprint(service) == before)
    }

    /// Authorization comes first (docs/api.md): a key that may not touch the segment learns
    /// nothing about whether it exists; a missing key is 401.
    @Test func authorizationIsAnsweredBeforeExistence() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let noKey = try await service.call("GET", "/v1/segments/\(Self.ghost)/accounts/alice")
        #expect(noKey.status == 401)
        let scoped = try await service.call("GET", "/v1/segments/\(Self.ghost)/accounts/alice", key: TestKeys.readerAlts)
        #expect(scoped.status == 403)
        let wrongRole = try await service.call(
            "PUT", "/v1/segments/\(Self.ghost)/mode", key: TestKeys.reader, body: #"{"mode":"halted","reason":"x"}"#)
        #expect(wrongRole.status == 403)
    }
}
