/// Cluster mode (issue 15, DESIGN.md "Past one machine"): set `url` to run this process as
/// one instance of a cluster on PostgreSQL; unset (the default) keeps one process on SQLite.
/// Every interval has a safe default and a bound.
public struct ClusterSettings: Sendable, Hashable {
    /// libpq URI of the shared PostgreSQL database (`--cluster`); nil: not a cluster.
    public var url: String?
    /// This instance's name in `segment_owner` and `Bulkhead-Owner` (`--instance-id`).
    public var instanceID: String?
    /// Base URL other instances redirect to (`--advertise`), e.g. `http://10.0.0.2:8080`.
    public var advertise: String?
    /// A lease lasts this long on the database's clock without a renewal: the longest a dead
    /// owner's segments stay unserved.
    public var leaseMilliseconds = 10_000
    /// Leases are renewed (and free segments taken) this often; at most a third of the
    /// lease, so two renewals may fail before a lease runs out.
    public var renewMilliseconds = 3_000
    /// Bound on connecting to PostgreSQL (a start against an unreachable server fails then).
    public var connectTimeoutSeconds = 5
    /// How long `POST /v1/transfers` waits for a transfer whose other end another instance
    /// serves to be final; past it, 503 `transfer_pending` with the id (it still completes).
    public var transferWaitMilliseconds = 10_000
    /// Outbox rows one relay pass takes per kind (credits, settlements); the rest next pass.
    public var relayBatch = 256

    public init() {}

    public var isEnabled: Bool { url != nil }

    /// Seconds a client is told to wait when a segment has no live owner yet.
    public var retryAfterSeconds: Int { max(1, (renewMilliseconds + 999) / 1_000) }

    func validate() throws(ConfigurationError) {
        guard let url else { return }
        func check(_ ok: Bool, _ key: String, _ rule: String) throws(ConfigurationError) {
            if !ok { throw ConfigurationError("setting '\(key)' (\(ServiceSettings.environmentName(key))): \(rule)") }
        }
        try check(url.hasPrefix("postgres://") || url.hasPrefix("postgresql://"), "cluster.url", "must be a postgres:// URI")
        let id = instanceID ?? ""
        try check(
            (1...64).contains(id.utf8.count) && id.utf8.allSatisfy { $0.isIdentifierByte }, "cluster.instanceId",
            "required with --cluster: 1–64 characters of [A-Za-z0-9._-]")
        let advertise = advertise ?? ""
        try check(
            (advertise.hasPrefix("http://") || advertise.hasPrefix("https://")) && !advertise.hasSuffix("/"), "cluster.advertise",
            "required with --cluster: the base URL other instances redirect to, like http://10.0.0.2:8080 (no trailing /)")
        try check((1_000...600_000).contains(leaseMilliseconds), "cluster.leaseMillis", "must be 1000…600000")
        try check(
            renewMilliseconds >= 100 && renewMilliseconds * 3 <= leaseMilliseconds, "cluster.renewMillis",
            "must be ≥ 100 and at most a third of cluster.leaseMillis")
        try check((1...60).contains(connectTimeoutSeconds), "cluster.connectTimeoutSeconds", "must be 1…60")
        try check((100...300_000).contains(transferWaitMilliseconds), "cluster.transferWaitMillis", "must be 100…300000")
        try check((1...10_000).contains(relayBatch), "cluster.relayBatch", "must be 1…10000")
    }
}

extension UInt8 {
    fileprivate var isIdentifierByte: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5A).contains(self) || (0x61...0x7A).contains(self) || self == 0x2E || self == 0x5F
            || self == 0x2D
    }
}
