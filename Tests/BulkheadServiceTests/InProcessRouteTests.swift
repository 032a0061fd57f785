import BulkheadService
import Foundation
import HTTPWire
import Journal
import Logging
import Testing

/// Routes exercised through every application stage with no socket (`BulkheadApp.respond`),
/// beside the real-socket end-to-end tests.
@Suite struct InProcessRouteTests {
    private func app() throws -> (BulkheadApp, TemporaryFolder, TemporaryFolder) {
        let config = try TemporaryFolder("config")
        let data = try TemporaryFolder("data")
        try FileManager.default.copyItem(atPath: TestService.repoRoot + "/Config/segments.json", toPath: config.path + "/segments.json")
        try TestKeys.keysJSON.write(toFile: config.path + "/keys.json", atomically: true, encoding: .utf8)
        var settings = ServiceSettings()
        settings.configDirectory = config.path
        settings.dataDirectory = data.path
        var logger = Logger(label: "bulkhead-in-process")
        logger.logLevel = .critical
        let app = BulkheadApp(
            settings: settings, specs: try SegmentCatalog.load(path: settings.segmentsFile),
            authorizer: Authorizer(store: try APIKeyStore.load(path: settings.keysPath), logger: logger),
            journal: try SQLiteJournal(path: settings.journalPath), clock: ManualClock(), logger: logger)
        return (app, config, data)
    }

    private func request(_ method: HTTPMethod, _ target: String, key: String?, body: String? = nil) -> HTTPRequest {
        var fields: [(name: String, value: String)] = [("Host", "test")]
        if let key { fields.append(("Authorization", "Bearer \(key)")) }
        if body != nil { fields.append(("Content-Type", "application/json")) }
        let head = HTTPRequestHead(
            method: method, target: target, version: .http11, headers: HTTPHeaders(fields), keepAlive: true, expectsContinue: false)
        return HTTPRequest(head: head, body: Array((body ?? "").utf8))
    }

    private func bytes(_ response: HTTPResponse) -> String {
        guard case .bytes(let body) = response.body else { return "" }
        return String(decoding: body, as: UTF8.self)
    }

    @Test func depositThenReadWithoutASocket() async throws {
        let (app, _, _) = try app()
        try await app.startInProcess()
        defer { Task { await app.shutdown() } }
        let deposit = await app.respond(to: request(
            .post, "/v1/segments/majors/collateral", key: TestKeys.trader, body: #"{"account":"alice","asset":"USDC","amount":"1000"}"#))
        #expect(deposit.status == 200, "\(bytes(deposit))")
        let account = await app.respond(to: request(.get, "/v1/segments/majors/accounts/alice", key: TestKeys.reader))
        #expect(account.status == 200)
        #expect(bytes(account).contains(#""collateralValue":"1000""#))
        #expect(account.headers.contains { $0.name == "X-Request-Id" }, "the request-id stage ran")
    }

    @Test func stagesRunInOrderWithoutASocket() async throws {
        let (app, _, _) = try app()
        try await app.startInProcess()
        defer { Task { await app.shutdown() } }
        // Authorization before the handler: no key is 401 whatever the body.
        let anonymous = await app.respond(to: request(.post, "/v1/segments/majors/positions", key: nil, body: "not json"))
        #expect(anonymous.status == 401)
        // An unknown segment is 404 unknown_segment once the key is accepted.
        let unknown = await app.respond(to: request(.get, "/v1/segments/nope", key: TestKeys.reader))
        #expect(unknown.status == 404)
        #expect(bytes(unknown).contains("unknown_segment"))
        // Probes need no key.
        let health = await app.respond(to: request(.get, "/healthz", key: nil))
        #expect(health.status == 200)
    }
}
