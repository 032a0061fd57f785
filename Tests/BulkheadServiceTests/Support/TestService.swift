import BulkheadService
import Foundation
import Journal
import Logging
import RiskEngine

/// The real app on 127.0.0.1 with an ephemeral port, a temp config folder (the repo's
/// segments.json and a test keys.json) and a temp data folder with a real SQLite journal.
/// Both folders go when the service is released (after `stop()`); a restart shares the data
/// folder object, so it stays while either service holds it.
final class TestService: Sendable {
    let app: BulkheadApp
    let port: Int
    let clock: ManualClock
    let configFolder: TemporaryFolder
    let dataFolder: TemporaryFolder
    let journal: any JournalStore

    var configDirectory: String { configFolder.path }
    var dataDirectory: String { dataFolder.path }

    static var repoRoot: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().path
    }

    /// Starts a service. `dataFolder` reuses a service's data folder (restart tests); `journal`
    /// replaces the SQLite journal (fault tests); `elapsedClock` times stress runs (#13).
    static func start(
        dataFolder: TemporaryFolder? = nil, clock: ManualClock = ManualClock(), journal: (any JournalStore)? = nil,
        elapsedClock: any ElapsedClock = MonotonicElapsedClock(), tweak: (inout ServiceSettings) -> Void = { _ in }
    ) async throws -> TestService {
        let configFolder = try TemporaryFolder("config")
        let dataFolder = try dataFolder ?? TemporaryFolder("data")
        let config = configFolder.path
        let data = dataFolder.path
        try FileManager.default.copyItem(atPath: repoRoot + "/Config/segments.json", toPath: config + "/segments.json")
        try FileManager.default.copyItem(atPath: repoRoot + "/Config/bridges.json", toPath: config + "/bridges.json")
        try TestKeys.keysJSON.write(toFile: config + "/keys.json", atomically: true, encoding: .utf8)
        var settings = ServiceSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.configDirectory = config
        settings.dataDirectory = data
        settings.eventLoops = 1
        settings.shutdownGracePeriodSeconds = 2
        tweak(&settings)
        let specs = try SegmentCatalog.load(path: settings.segmentsFile)
        let store = try APIKeyStore.load(path: settings.keysPath)
        var logger = Logger(label: "bulkhead-test")
        logger.logLevel = .critical
        let journal = try journal ?? SQLiteJournal(path: settings.journalPath)
        let app = BulkheadApp(
            settings: settings, specs: specs, authorizer: Authorizer(store: store, logger: logger), journal: journal, clock: clock,
            logger: logger, bridges: try BridgeCatalog.load(path: settings.bridgesFile, segments: specs), elapsedClock: elapsedClock)
        let port = try await app.start()
        return TestService(app: app, port: port, clock: clock, configFolder: configFolder, dataFolder: dataFolder, journal: journal)
    }

    private init(
        app: BulkheadApp, port: Int, clock: ManualClock, configFolder: TemporaryFolder, dataFolder: TemporaryFolder, journal: any JournalStore
    ) {
        self.app = app
        self.port = port
        self.clock = clock
        self.configFolder = configFolder
        self.dataFolder = dataFolder
        self.journal = journal
    }

    func stop() async {
        await app.shutdown()
    }

    /// One request on a fresh connection, run off the cooperative pool.
    func call(
        _ method: String, _ target: String, key: String? = nil, body: String? = nil, headers: [(String, String)] = [],
        contentType: String? = "application/json"
    ) async throws -> TestResponse {
        var all = headers
        if let key { all.append(("Authorization", "Bearer \(key)")) }
        if body != nil, let contentType { all.append(("Content-Type", contentType)) }
        let port = port
        let bytes = body.map { Array($0.utf8) }
        let fixed = all
        return try await onThread {
            try TestHTTPClient(port: port).request(method, target, headers: fixed, body: bytes)
        }
    }

    // MARK: Domain shortcuts

    func deposit(_ segment: String, _ account: String, _ asset: String = "USDC", _ amount: String) async throws -> TestResponse {
        try await call(
            "POST", "/v1/segments/\(segment)/collateral", key: TestKeys.trader,
            body: #"{"account":"\#(account)","asset":"\#(asset)","amount":"\#(amount)"}"#)
    }

    func fill(_ segment: String, _ account: String, _ market: String, size: String, price: String, fee: String? = nil) async throws
        -> TestResponse
    {
        let feeMember = fee.map { #","fee":"\#($0)""# } ?? ""
        return try await call(
            "POST", "/v1/segments/\(segment)/positions", key: TestKeys.trader,
            body: #"{"account":"\#(account)","market":"\#(market)","size":"\#(size)","price":"\#(price)"\#(feeMember)}"#)
    }

    /// Posts prices stamped with the clock's current time (one source, "feed-a").
    func price(_ segment: String, _ prices: [(market: String, price: String)]) async throws -> TestResponse {
        let items = prices.map { #"{"market":"\#($0.market)","price":"\#($0.price)","timestamp":"\#(clock.text)","source":"feed-a"}"# }
        return try await call(
            "POST", "/v1/segments/\(segment)/prices", key: TestKeys.oracle, body: #"{"prices":["# + items.joined(separator: ",") + "]}")
    }
}
