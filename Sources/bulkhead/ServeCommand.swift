import ArgumentParser
import BulkheadService
import Configuration
import Foundation
import Journal
import RiskEngine
import Logging
import ServiceLifecycle

/// `bulkhead serve`: load config, recover segments, listen, drain on SIGTERM/SIGINT.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the HTTP service (settings: flags > BULKHEAD_* environment > <config>/service.json > defaults)."
    )

    @Option(help: "Address to bind (default 127.0.0.1; BULKHEAD_HOST).")
    var host: String?

    @Option(help: "Port to bind; 0 picks a free port and logs it (default 8080; BULKHEAD_PORT).")
    var port: Int?

    @Option(help: "Config folder with segments.json, service.json, keys.json (default ./Config; BULKHEAD_CONFIG).")
    var config: String?

    @Option(help: "Data folder for journal.sqlite (default ./data; BULKHEAD_DATA).")
    var data: String?

    @Option(help: "API keys file (default <config>/keys.json; BULKHEAD_KEYS).")
    var keys: String?

    @Option(name: .customLong("tls-cert"), help: "PEM certificate chain; enables TLS with --tls-key.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "PEM private key.")
    var tlsKey: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Flag(help: "Keep the journal in memory (nothing survives a restart; for demos and tests).")
    var ephemeral = false

    // Cluster mode (issue 15).
    @Option(help: "Run as one instance of a cluster on this PostgreSQL database, e.g. postgres://bulkhead@127.0.0.1:5432/bulkhead (BULKHEAD_CLUSTER_URL).")
    var cluster: String?

    @Option(name: .customLong("instance-id"), help: "This instance's id in the cluster, [A-Za-z0-9._-]{1,64} (BULKHEAD_CLUSTER_INSTANCE_ID).")
    var instanceID: String?

    @Option(help: "Base URL other instances redirect to, e.g. http://127.0.0.1:8081 (BULKHEAD_CLUSTER_ADVERTISE).")
    var advertise: String?

    func run() async throws {
        var flags: [String: ConfigContent] = [:]
        if let host { flags["host"] = .string(host) }
        if let port { flags["port"] = .int(port) }
        if let config { flags["config"] = .string(config) }
        if let data { flags["data"] = .string(data) }
        if let keys { flags["keys"] = .string(keys) }
        if let tlsCert { flags["tlsCert"] = .string(tlsCert) }
        if let tlsKey { flags["tlsKey"] = .string(tlsKey) }
        if let logLevel { flags["log.level"] = .string(logLevel) }
        if let cluster { flags["cluster.url"] = .string(cluster) }
        if let instanceID { flags["cluster.instanceId"] = .string(instanceID) }
        if let advertise { flags["cluster.advertise"] = .string(advertise) }

        let settings: ServiceSettings
        let specs: [SegmentSpec]
        let bridges: [BridgeSpec]
        let authorizer: Authorizer
        do {
            settings = try ServiceSettings.load(flags: flags, environment: ProcessInfo.processInfo.environment)
            specs = try SegmentCatalog.load(path: settings.segmentsFile)
            bridges = try BridgeCatalog.load(path: settings.bridgesFile, segments: specs)
        } catch {
            throw Failure("configuration: \(error.description)")
        }
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        var logger = Logger(label: "bulkhead")
        logger.logLevel = Logger.Level(rawValue: settings.logLevel) ?? .info
        do {
            authorizer = Authorizer(store: try APIKeyStore.load(path: settings.keysPath), logger: logger)
        } catch {
            throw Failure("keys: \(error)")
        }
        let journal: any JournalStore
        var membership: ClusterMembership?
        if settings.cluster.isEnabled {
            do {
                let joined = try ClusterMembership(settings: settings.cluster, maxPendingEntries: settings.journalQueueBound)
                membership = joined
                journal = joined.journal
            } catch {
                throw Failure("cluster database: \(error.message)")
            }
        } else if ephemeral {
            journal = VolatileJournal()
        } else {
            do {
                try FileManager.default.createDirectory(atPath: settings.dataDirectory, withIntermediateDirectories: true)
                journal = try SQLiteJournal(
                    configuration: SQLiteJournal.Configuration(
                        path: settings.journalPath, maxPendingEntries: settings.journalQueueBound,
                        maxBatchOperations: settings.journalMaxBatchOperations, segmentWeights: settings.segmentWeights))
            } catch let error as JournalError {
                throw Failure("journal \(settings.journalPath): \(error.message)")
            } catch {
                throw Failure("data folder \(settings.dataDirectory): \(error)")
            }
        }
        let app = BulkheadApp(
            settings: settings, specs: specs, authorizer: authorizer, journal: journal, logger: logger, bridges: bridges,
            cluster: membership)
        let group = ServiceGroup(
            services: [BulkheadLifecycleService(app: app)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        try await group.run()
    }
}

/// A start failure: printed as one line naming the file and field, exit status 1.
struct Failure: Error, CustomStringConvertible {
    var description: String

    init(_ description: String) {
        self.description = description
    }
}
