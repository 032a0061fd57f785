import BulkheadService
import Foundation
import HTTPWire
import Journal
import Logging
import RiskEngine

/// The service with the default segments and bridges and the test keys, driven through every
/// application stage without a socket (`BulkheadApp.respond`), on a clock the test moves.
struct InProcessService {
    let app: BulkheadApp
    let clock: ManualClock
    private let folders: [TemporaryFolder]

    struct Answer {
        var status: Int
        var headers: [HTTPField]
        var body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        var errorCode: String? {
            guard let data = body.data(using: .utf8),
                  let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                  let error = object["error"] as? [String: Any]
            else { return nil }
            return error["code"] as? String
        }
    }

    static func start(clock: ManualClock = ManualClock()) async throws -> InProcessService {
        let config = try TemporaryFolder("config")
        let data = try TemporaryFolder("data")
        try FileManager.default.copyItem(atPath: TestService.repoRoot + "/Config/segments.json", toPath: config.path + "/segments.json")
        try FileManager.default.copyItem(atPath: TestService.repoRoot + "/Config/bridges.json", toPath: config.path + "/bridges.json")
        try TestKeys.keysJSON.write(toFile: config.path + "/keys.json", atomically: true, encoding: .utf8)
        var settings = ServiceSettings()
        settings.configDirectory = config.path
        settings.dataDirectory = data.path
        var logger = Logger(label: "bulkhead-in-process")
        logger.logLevel = .critical
        let specs = try SegmentCatalog.load(path: settings.segmentsFile)
        let app = BulkheadApp(
            settings: settings, specs: specs,
            authorizer: Authorizer(store: try APIKeyStore.load(path: settings.keysPath), logger: logger),
            journal: try SQLiteJournal(path: settings.journalPath), clock: clock, logger: logger,
            bridges: try BridgeCatalog.load(path: settings.bridgesFile, segments: specs))
        try await app.startInProcess()
        return InProcessService(app: app, clock: clock, folders: [config, data])
    }

    func stop() async { await app.shutdown() }

    func call(
        _ method: HTTPMethod, _ target: String, key: String?, body: String? = nil, headers: [(name: String, value: String)] = []
    ) async -> Answer {
        var fields: [(name: String, value: String)] = [("Host", "test")]
        if let key { fields.append(("Authorization", "Bearer \(key)")) }
        if body != nil { fields.append(("Content-Type", "application/json")) }
        fields.append(contentsOf: headers)
        let head = HTTPRequestHead(
            method: method, target: target, version: .http11, headers: HTTPHeaders(fields), keepAlive: true, expectsContinue: false)
        let response = await app.respond(to: HTTPRequest(head: head, body: Array((body ?? "").utf8)))
        let text: String
        if case .bytes(let bytes) = response.body { text = String(decoding: bytes, as: UTF8.self) } else { text = "" }
        return Answer(status: response.status, headers: response.headers, body: text)
    }
}
