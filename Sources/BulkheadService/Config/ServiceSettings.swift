/// Every service setting, each with a safe default. Loaded by `ServiceSettings.load` from, in
/// precedence order: command-line flags, `BULKHEAD_*` environment variables, the config
/// folder's `service.json`, these defaults.
public struct ServiceSettings: Sendable, Hashable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Folder with `segments.json`, `service.json` and `keys.json`.
    public var configDirectory = "./Config"
    public var dataDirectory = "./data"
    /// Overrides `<config>/keys.json`.
    public var keysFile: String?
    public var tlsCertificate: String?
    public var tlsPrivateKey: String?

    // HTTP
    public var eventLoops = 2
    public var maxConnections = 10_000
    public var maxBodyBytes = 1 << 20
    public var requestHeadTimeoutSeconds = 10.0
    public var bodyIdleTimeoutSeconds = 10.0
    public var keepAliveIdleTimeoutSeconds = 60.0
    public var writeStallTimeoutSeconds = 10.0
    /// 0 disables gzip.
    public var gzipMinimumBytes = 1024

    // Rate limits (HTTP 429 `rate_limited` / `address_connection_limit` with Retry-After).
    // Loopback and a reverse proxy are one address each: raise these behind a proxy, or set
    // 0 to turn one off. Defaults sit far above one real client (a trading client or an
    // oracle feed sends tens to hundreds of requests per second) and far below what one
    // flooding address can push through the loops (tens of thousands per second).
    /// Requests per second from one client address across its connections; 0 disables.
    public var addressRequestsPerSecond = 2_000.0
    /// Requests one address may send at once above the rate (a reconnect storm, a batch).
    public var addressRequestBurst = 4_000
    /// Requests per second on one connection; 0 disables. Half the address rate, so one
    /// runaway connection cannot take an address's whole budget.
    public var connectionRequestsPerSecond = 1_000.0
    public var connectionRequestBurst = 2_000
    /// Connections one address may hold open at once; 0 disables. A tenth of
    /// `maxConnections`, so ten addresses are needed to exhaust the server.
    public var maxConnectionsPerAddress = 1_024
    /// Addresses tracked for the per-address limits (bounded; idle entries evicted).
    public var maxTrackedAddresses = 65_536
    /// Retry-After seconds sent with a refused connection (per-address cap); a limited
    /// request's Retry-After is the time until its bucket has a token again.
    public var rateLimitRetryAfterSeconds = 1

    // Segments
    /// In-flight budget of a weight-1 segment: requests admitted to one segment (in its actor,
    /// awaiting its journal batch or its turn at the hop) before it answers 503
    /// `segment_busy`, at the head when the route names it. A segment's budget is this times
    /// its weight, so a flood is shed at its own share, not at a global 1,024.
    public var segmentMaxInFlight = 128
    public var maxSegments = 256
    // Resource bulkheads (issue 19)
    /// Fair-share weight per segment id (1…1000, 1 when unset), read from
    /// `segments.weights` as "ETH-PERP=3,BTC-PERP=2". Sizes a segment's in-flight budget and
    /// its share of the hop to the actors and of the journal's batches.
    public var segmentWeights: [String: Int] = [:]
    /// Segment commands queued on or running in the segment actors at once, across segments
    /// (the loops→actors hop); beyond it they wait per segment and are let through by
    /// weighted fair share.
    public var segmentHopConcurrency = 64
    /// Operations one journal group commit takes at most (filled by fair share).
    public var journalMaxBatchOperations = 1_024
    // End resource bulkheads (issue 19)
    /// Seconds a client is told to wait (Retry-After) when a segment is busy.
    public var busyRetryAfterSeconds = 1

    // Idempotency
    public var idempotencyRetentionSeconds: Int64 = 86_400
    public var idempotencyCacheEntries = 100_000

    // Snapshots
    /// A segment snapshots every this many journal entries; 0 disables.
    public var snapshotInterval = 10_000
    /// ... or after this many seconds with at least one new entry; 0 disables.
    public var snapshotEverySeconds = 300
    /// Drop journal entries a snapshot covers (keeps the file small; loses `replay --until`
    /// before the snapshot).
    public var snapshotPruneJournal = false

    // Live control (issue 18): event stream and bounded price answers.
    public var events = EventSettings()

    // Cluster (issue 15): PostgreSQL journal and segment leases when `cluster.url` is set.
    public var cluster = ClusterSettings()
    // Rate limits per API key (#17).
    public var keyQuotas = KeyQuotaSettings()
    // End rate limits per API key (#17).
    // Liquidation history (#17).
    /// Decisions per segment kept in memory for `GET …/liquidations` (older ones stay in
    /// the journal); a page whose `after` is older says so (`truncated`, `oldestRetained`).
    public var liquidationRetention = 10_000

    public var shutdownGracePeriodSeconds = 10.0
    public var logLevel = "info"
    // Stress runs (#13, API.md "Stress"): path steps, book size, and how long one run may take.
    public var stressMaxSteps = 1_000
    public var stressMaxPositions = 2_000_000
    public var stressTimeoutSeconds = 30.0
    public var stressMaxConcurrent = 1

    public init() {}

    public var segmentsFile: String { configDirectory + "/segments.json" }
    public var serviceFile: String { configDirectory + "/service.json" }
    public var keysPath: String { keysFile ?? configDirectory + "/keys.json" }
    public var journalPath: String { dataDirectory + "/journal.sqlite" }
    /// The journal's submit queue must hold every change that can be in flight at once, so
    /// a submit is never refused after its segment applied the change.
    public var journalQueueBound: Int { max(65_536, maxSegments * segmentMaxInFlight * (segmentWeights.values.max() ?? 1) + 1_024) }

    public func segmentWeight(_ id: String) -> Int { segmentWeights[id] ?? 1 }

    /// A segment's in-flight budget: the weight-1 budget times its weight.
    public func inFlightBudget(_ id: String) -> Int { segmentMaxInFlight * segmentWeight(id) }
}

/// A setting that cannot be used: the start fails with this message.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
