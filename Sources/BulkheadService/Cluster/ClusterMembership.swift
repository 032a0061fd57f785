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
    /// Transfers across instances: ids, outbox rows, published segment statuses.
    public let outbox: TransferOutbox
    private let relay: FencedRelay
    private let listener = Mutex<OutboxListener?>(nil)

    /// Notifications are being listened to (a wake-up checks it before relaying, so that
    /// after `stopListening` returns no notification moves a transfer here).
    var isListening: Bool { listener.withLock { $0 != nil } }

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
        outbox = TransferOutbox(url: url, connectTimeoutSeconds: settings.connectTimeoutSeconds)
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

    /// Starts listening for outbox notifications (`wake` gets the segments named, or nil
    /// after a (re)connect, when some may have been missed). Stopped by `close`.
    func listen(wake: @escaping @Sendable (Set<String>?) -> Void) {
        guard let url = settings.url else { return }
        let started = OutboxListener(url: url, connectTimeoutSeconds: settings.connectTimeoutSeconds, wake: wake)
        listener.withLock { current in
            current?.stop()
            current = started
        }
        started.start()
    }

    /// Stops listening for outbox notifications (the relay then runs only after rounds).
    func stopListening() {
        listener.withLock { current in
            current?.stop()
            current = nil
        }
    }

    public func close() {
        listener.withLock { $0?.stop() }
        outbox.close()
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
