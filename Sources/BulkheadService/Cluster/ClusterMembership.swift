import Journal
import Synchronization

/// What makes this process one instance of a cluster: its leases (and their epochs, which
/// the journal checks every write against), the journal on the shared PostgreSQL database,
/// and where other instances send requests for its segments.
///
/// The journal reports a fenced write from its writer thread before the ownership manager
/// exists, so the report goes through `fenced`, which the manager subscribes to.
public final class ClusterMembership: Sendable {
    public let settings: ClusterSettings
    public let instanceID: String
    public let advertise: String
    public let epochs: SegmentEpochs
    public let leases: SegmentLeases
    public let journal: PostgresJournal
    private let relay: FencedRelay

    /// Connects both (leases first: it migrates the schema). An unreachable server fails
    /// here within `connectTimeoutSeconds`, so `serve` exits with a clear error.
    public init(settings: ClusterSettings, maxPendingEntries: Int) throws(JournalError) {
        guard let url = settings.url, let instanceID = settings.instanceID, let advertise = settings.advertise else {
            throw JournalError(.other, message: "cluster settings need url, instance id and advertise URL")
        }
        self.settings = settings
        self.instanceID = instanceID
        self.advertise = advertise
        let epochs = SegmentEpochs()
        self.epochs = epochs
        leases = try SegmentLeases(
            url: url, instanceID: instanceID, epochs: epochs, leaseMilliseconds: Int64(settings.leaseMilliseconds),
            connectTimeoutSeconds: settings.connectTimeoutSeconds)
        let relay = FencedRelay()
        self.relay = relay
        do {
            journal = try PostgresJournal(
                configuration: PostgresJournal.Configuration(
                    url: url, epochs: epochs, maxPendingEntries: maxPendingEntries,
                    connectTimeoutSeconds: settings.connectTimeoutSeconds,
                    onFenced: { segment, epoch in relay.report(segment, epoch: epoch) }))
        } catch {
            leases.close()
            throw error
        }
    }

    /// Called on the journal's writer thread when the database refused a write of ours.
    func onFenced(_ handler: @escaping @Sendable (String, UInt64) -> Void) {
        relay.handler.withLock { $0 = handler }
    }

    public func close() {
        journal.close()
        leases.close()
    }
}

/// The journal's fenced report, forwarded to whoever subscribed (the ownership manager).
private final class FencedRelay: Sendable {
    let handler = Mutex<(@Sendable (String, UInt64) -> Void)?>(nil)

    func report(_ segment: String, epoch: UInt64) {
        handler.withLock { $0 }?(segment, epoch)
    }
}
