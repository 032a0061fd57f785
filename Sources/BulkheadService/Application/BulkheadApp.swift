import HTTPServer
import HTTPWire
import Journal
import Logging
import RiskEngine
import Synchronization

/// The running product: HTTP server, responder, segment actors and journal, wired from
/// settings. `start()` listens first (so `/readyz` can say "starting"), then recovers every
/// segment from the journal, then reports ready.
public final class BulkheadApp: Sendable {
    public let settings: ServiceSettings
    public let state: ServiceState
    public let metrics: ServiceMetrics
    let registry: SegmentRegistry
    let responder: ServiceResponder
    let server: HTTPServer
    let journal: any JournalStore
    let specs: [SegmentSpec]
    /// Bridges from `bridges.json`; journaled `PUT`/`DELETE` replay over them at start.
    let configuredBridges: [BridgeSpec]
    let bridges: BridgeRegistry
    let transfers: TransferCoordinator
    /// Puts bridge and transfer events on both ends' streams (#18).
    let bridgePublisher: BridgeEventPublisher
    private let bridgePublishing = Mutex<Task<Void, Never>?>(nil)
    let logger: Logger
    let clock: any ServiceClock
    private let maintenance = Mutex<Task<Void, Never>?>(nil)
    /// Cluster mode (issue 15): the leases and segments this instance serves; nil on SQLite.
    let ownership: SegmentOwnership?
    /// Cluster mode: transfers through the outbox, whichever instances serve the two ends.
    let clusterTransfers: ClusterTransfers?
    private let ownershipLoop = Mutex<Task<Void, Never>?>(nil)

    public init(
        settings: ServiceSettings, specs: [SegmentSpec], authorizer: any RequestAuthorizing, journal: any JournalStore,
        clock: any ServiceClock = WallClock(), logger: Logger, bridges configuredBridges: [BridgeSpec] = [],
        cluster: ClusterMembership? = nil, clusterClock: (@Sendable () -> UInt64)? = nil,
        elapsedClock: any ElapsedClock = MonotonicElapsedClock()
    ) {
        self.settings = settings
        self.specs = specs
        self.configuredBridges = configuredBridges
        self.journal = journal
        self.logger = logger
        self.clock = clock
        state = ServiceState()
        metrics = ServiceMetrics()
        let snapshots = SnapshotSchedule(
            policy: SnapshotPolicy(
                everyEntries: UInt64(max(0, settings.snapshotInterval)), everySeconds: UInt64(max(0, settings.snapshotEverySeconds))),
            writer: SnapshotWriter(journal: journal, prunesJournal: settings.snapshotPruneJournal))
        // Bridge events wait at most four subscriber queues' worth for their journal entries.
        let publisher = BridgeEventPublisher(capacity: settings.events.subscriberQueue * 4)
        bridgePublisher = publisher
        let bridges = BridgeRegistry(journal: journal, clock: clock, events: BridgeEventLog(publisher: publisher))
        self.bridges = bridges
        registry = SegmentRegistry(
            environment: SegmentEnvironment(
                journal: journal, clock: clock, state: state, maxInFlight: settings.segmentMaxInFlight, snapshots: snapshots,
                modeChanged: { _ in bridges.refresh() }, weights: settings.segmentWeights, events: settings.events,
                liquidationRetention: settings.liquidationRetention),
            maxSegments: settings.maxSegments)
        transfers = TransferCoordinator(segments: registry, bridges: bridges, metrics: metrics)
        var ownership: SegmentOwnership?
        if let cluster {
            ownership = SegmentOwnership(
                membership: cluster, registry: registry, state: state, specs: specs, logger: logger,
                now: clusterClock ?? { MonotonicClock.nanoseconds() })
        }
        self.ownership = ownership
        let clusterTransfers = ownership.map { [registry, metrics] in
            ClusterTransfers(ownership: $0, registry: registry, bridges: bridges, metrics: metrics, logger: logger)
        }
        self.clusterTransfers = clusterTransfers
        let idempotency = IdempotencyLedger(
            capacity: settings.idempotencyCacheEntries, retentionSeconds: settings.idempotencyRetentionSeconds, journal: journal,
            clock: clock)
        responder = ServiceResponder(
            registry: registry, bridges: bridges, transfers: transfers, authorizer: authorizer, idempotency: idempotency, state: state, metrics: metrics,
            settings: settings, logger: logger,
            hop: SegmentHop(concurrency: settings.segmentHopConcurrency, maxSegments: settings.maxSegments, weights: settings.segmentWeights),
            journalMetrics: { [journal] in journal.commitMetrics },
            quotas: RequestQuotas(
                settings: settings.keyQuotas, addressRate: settings.serverConfiguration.addressRequestRate,
                maxAddresses: settings.maxTrackedAddresses, now: { [clock] in clock.now().nanoseconds }),
            cluster: ownership, clusterTransfers: clusterTransfers, elapsedClock: elapsedClock)
        var serverConfiguration = settings.serverConfiguration
        // The transport's own answers (400/408/429/431…) count in the same request metrics.
        serverConfiguration.onEvent = { [metrics] event in metrics.recordTransport(event) }
        server = HTTPServer(configuration: serverConfiguration, responder: responder) { [logger] message in
            logger.info("\(message)")
        }
    }

    /// Binds, recovers, goes ready; returns the bound port.
    @discardableResult
    public func start() async throws -> Int {
        let port = try server.start()
        logger.info("listening on \(settings.host):\(port)")
        do {
            try await recover()
        } catch {
            logger.critical("recovery failed: \(error)")
            await server.shutdown(gracePeriodSeconds: 0)
            throw error
        }
        return port
    }

    /// The application without the transport, for socket-free route tests (as Hummingbird's
    /// test framework or NIOEmbedded do): recovers and goes ready without binding a port;
    /// requests then go straight to `respond(to:)`.
    public func startInProcess() async throws {
        try await recover(renewing: false)
    }

    /// Answers one request through every application stage, as the server would, with no
    /// socket (transport stages — framing limits, per-address rate limit, gzip — excluded).
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        await responder.respond(to: request)
    }

    /// Rebuilds every segment from snapshot + journal, then marks the service ready. In
    /// cluster mode, takes and loads this instance's share instead (`renewing` starts the
    /// lease loop; in-process tests run rounds themselves).
    func recover(renewing: Bool = true) async throws {
        let started = MonotonicClock.nanoseconds()
        if let ownership {
            try await joinCluster(ownership, renewing: renewing)
            return
        }
        var (recovered, report) = try JournalRecovery(journal: journal, liquidationRetention: settings.liquidationRetention)
            .recoverAll(configured: specs)
        try await finishTransfers(&recovered)
        try await registry.install(recovered)
        try installBridges(lastTransferId: recovered.map(\.segment.lastTransferId).max() ?? 0)
        for item in recovered {
            logger.info(
                "segment recovered",
                metadata: [
                    "segment": "\(item.segment.spec.id)", "sequence": "\(item.lastSequence)",
                    "snapshot": "\(item.snapshotSequence.map(String.init) ?? "none")", "replayed": "\(item.replayed)",
                ])
        }
        logger.info("recovery", metadata: ["snapshots": "\(report.snapshotsRestored)", "records": "\(report.recordsReplayed)"])
        state.markReady()
        startMaintenance()
        let (publisher, registry) = (bridgePublisher, registry)
        bridgePublishing.withLock { $0 = Task.detached { await publisher.run(segments: registry) } }
        logger.info("ready", metadata: ["segments": "\(recovered.count)", "millis": "\((MonotonicClock.nanoseconds() - started) / 1_000_000)"])
    }

    public var port: Int { server.localPort }

    /// Cluster mode: the first ownership round must reach the database; then ready, and the
    /// lease loop keeps rounds going. The bridge book is the shared stream's (caught up after
    /// every round); transfers move through the outbox, relayed on `NOTIFY` and every round.
    private func joinCluster(_ ownership: SegmentOwnership, renewing: Bool) async throws {
        bridges.joinCluster(configured: configuredBridges) { [ownership] segment in ownership.ownerMap.mode(of: segment) }
        ownership.outgoingBridges.withLock { [bridges] in $0 = { segment in bridges.all.filter { $0.from == segment } } }
        try installBridges(lastTransferId: 0)
        if let relay = clusterTransfers {
            let bridges = self.bridges
            ownership.afterRound.withLock { hook in
                hook = {
                    try? bridges.reload()
                    await relay.relay()
                }
            }
            ownership.membership.listen { [ownership] segments in
                if segments?.contains(SegmentLeases.ownersChanged) ?? true {
                    Task { ownership.refreshMap() }
                }
                if let segments, Set(ownership.served).isDisjoint(with: segments) { return }
                relay.wake { ownership.membership.isListening }
            }
        }
        guard await ownership.round() else {
            throw ConfigurationError("cluster database unreachable: the first lease round failed")
        }
        state.markReady()
        startMaintenance()
        // Bridge and transfer events go on the streams of the ends served here.
        let (publisher, registry) = (bridgePublisher, registry)
        bridgePublishing.withLock { $0 = Task.detached { await publisher.run(segments: registry) } }
        logger.info("ready (cluster)", metadata: ["instance": "\(ownership.instanceID)", "segments": "\(ownership.served.count)"])
        if renewing { ownershipLoop.withLock { $0 = Task.detached { await ownership.run() } } }
    }

    /// Cluster mode: one ownership round now (tests drive rounds instead of the loop).
    @discardableResult
    public func ownershipRound() async -> Bool {
        await ownership?.round() ?? false
    }

    /// Drops idempotency records past retention (the journal's `IdempotencyRetention`), hourly.
    private func startMaintenance() {
        let retention = IdempotencyRetention(journal: journal, retentionSeconds: settings.idempotencyRetentionSeconds)
        let clock = self.clock
        let registry = self.registry
        let journal = self.journal
        let keep = settings.events.retention
        let task = Task.detached {
            // Event log retention (`events.retention` per segment), every minute.
            let events = Task {
                while !Task.isCancelled {
                    for engine in registry.all { try? await journal.pruneEvents(segment: engine.id, keepLast: keep) }
                    try? await Task.sleep(for: .seconds(60))
                }
            }
            await withTaskCancellationHandler {
                await retention.run(every: .seconds(3_600)) { clock.now().nanoseconds }
            } onCancel: {
                events.cancel()
            }
        }
        maintenance.withLock { $0 = task }
    }

    /// Readiness goes 503 "draining" first, then the server drains within the grace period.
    public func shutdown() async {
        state.markDraining()
        logger.info("draining")
        maintenance.withLock { $0?.cancel() }
        ownershipLoop.withLock { $0?.cancel() }
        registry.closeEventStreams()
        bridgePublisher.close()
        await server.shutdown(gracePeriodSeconds: settings.shutdownGracePeriodSeconds)
        journal.close()
        // Cluster: leases given back once drained and flushed, so other instances take over at once.
        ownership?.releaseAll()
        ownership?.membership.leases.close()
        logger.info("stopped")
    }

    public func waitUntilStopped() async {
        await server.waitUntilStopped()
    }
}
