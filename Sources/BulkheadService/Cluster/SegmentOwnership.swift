import Journal
import Logging
import RiskEngine
import Synchronization

/// This instance's part of the cluster (DESIGN.md "Past one machine"): each round renews
/// its leases, drops the segments it lost, hands off those another live instance should own,
/// and takes and loads (snapshot + journal tail) the free ones it should own. Ownership is
/// decided by the database (leases on its clock, epochs checked by every write); this class
/// only keeps the served segments in line with it.
///
/// Rounds run one at a time: `run` loops them every `renewMilliseconds`; tests call
/// `round()` themselves, with `now` a clock they move.
final class SegmentOwnership: Sendable {
    let membership: ClusterMembership
    let registry: SegmentRegistry
    let state: ServiceState
    let specs: [String: SegmentSpec]
    let logger: Logger
    let counters = ClusterCounters()
    /// Monotonic nanoseconds: when the last renewal started, to stop serving before the lease
    /// can have run out while the database is unreachable.
    let now: @Sendable () -> UInt64
    private let map = Mutex(OwnerMap())
    private let mapReads = Atomic<UInt64>(0)
    /// What this instance last published per served segment (epoch, mode, spec JSON).
    private let published = Mutex<[String: (epoch: UInt64, status: PublishedStatus)]>([:])
    /// The bridges that start at a segment (set by the app: the shared bridge book).
    let outgoingBridges = Mutex<(@Sendable (String) -> [BridgeSpec])?>(nil)
    /// Runs after every round that reached the database (bridge book catch-up, transfer relay).
    let afterRound = Mutex<(@Sendable () async -> Void)?>(nil)
    private let lastRenewal = Mutex<UInt64?>(nil)
    private let roundRunning = Mutex(false)

    init(
        membership: ClusterMembership, registry: SegmentRegistry, state: ServiceState, specs: [SegmentSpec], logger: Logger,
        now: @escaping @Sendable () -> UInt64 = { MonotonicClock.nanoseconds() }
    ) {
        self.membership = membership
        self.registry = registry
        self.state = state
        self.specs = Dictionary(specs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        self.logger = logger
        self.now = now
        membership.onFenced { [weak self] segment, _ in self?.fenced(segment) }
    }

    var instanceID: String { membership.instanceID }
    var leases: SegmentLeases { membership.leases }
    var journal: PostgresJournal { membership.journal }
    var ownerMap: OwnerMap { map.withLock { $0 } }

    /// Segments this instance serves now (leased and loaded), sorted.
    var served: [String] {
        membership.epochs.held.map(\.segment).filter { registry.engine($0) != nil }
    }

    /// Where a request for a segment this instance does not serve goes.
    func route(_ segment: String) -> OwnerMap.Route {
        map.withLock { $0.route(segment, me: instanceID) }
    }

    // MARK: Rounds

    /// One round; false when the database could not be reached (the service is then
    /// degraded, and stops serving once its leases may have run out).
    @discardableResult
    func round() async -> Bool {
        guard roundRunning.withLock({ running in defer { running = true }; return !running }) else { return true }
        defer { roundRunning.withLock { $0 = false } }
        let started = now()
        do {
            try renewLeases(startedAt: started)
        } catch {
            renewalFailed(error, startedAt: started)
            return false
        }
        do {
            if state.isDegraded { try await recoverFromOutage() }
            let view = try readMap()
            let live = view.liveInstances(including: instanceID)
            for (segment, _) in membership.epochs.held where PreferredOwner.of(segment, among: live) != instanceID {
                handOff(segment)
            }
            for segment in view.known.sorted() where membership.epochs.epoch(of: segment) == nil {
                guard PreferredOwner.of(segment, among: live) == instanceID else { continue }
                if let lease = view.leases[segment], lease.isLive, lease.owner != nil { continue }
                guard let epoch = try leases.acquire(segment) else { continue }
                await load(segment, epoch: epoch)
                // Loading many segments must not starve the leases already held.
                let renewDue = now()
                if renewDue &- (lastRenewal.withLock { $0 } ?? 0) >= UInt64(membership.settings.renewMilliseconds) * 1_000_000 {
                    try renewLeases(startedAt: renewDue)
                }
            }
            try await publishStatuses()
            try readMap()
            if let afterRound = afterRound.withLock({ $0 }) { await afterRound() }
            return true
        } catch {
            renewalFailed(error, startedAt: started)
            return false
        }
    }

    /// Extends every held lease; drops the segments found taken over.
    private func renewLeases(startedAt started: UInt64) throws(JournalError) {
        let renewal = try leases.renew(announcing: membership.advertise)
        lastRenewal.withLock { $0 = started }
        counters.record { $0.renewals += 1 }
        for segment in renewal.lost {
            counters.record { $0.fencingEvents += 1 }
            drop(segment, because: "lease taken over by another instance")
        }
    }

    /// Rounds every `renewMilliseconds` until cancelled.
    func run() async {
        let interval = Duration.milliseconds(membership.settings.renewMilliseconds)
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            if Task.isCancelled { return }
            await round()
        }
    }

    // MARK: Segment creation from any instance

    /// Takes the lease of a segment about to be created here. False when another instance
    /// holds it or the journal already defines it (then the segment exists: 409).
    func claimForCreation(_ segment: String) throws(JournalError) -> Bool {
        // Held already: it is served or being loaded here, so it exists.
        if membership.epochs.epoch(of: segment) != nil { return false }
        guard let epoch = try leases.acquire(segment) else { return false }
        let snapshot = try journal.latestSnapshot(segment: segment)
        let first = try journal.entries(segment: segment, after: 0, limit: 1)
        if snapshot != nil || !first.isEmpty {
            // It exists but nobody served it: give the lease back for its preferred owner.
            membership.epochs.revoke(segment, epoch: epoch)
            try? leases.release(segment)
            return false
        }
        return true
    }

    /// The creation failed before anything was journaled: the lease goes back.
    func abandonCreation(_ segment: String) {
        guard registry.engine(segment) == nil else { return }
        try? leases.release(segment)
    }

    // MARK: Taking and dropping

    /// Rebuilds a freshly leased segment from its latest snapshot and the journal tail (the
    /// same replay as a restart), then serves it. A failure gives the lease back.
    private func load(_ segment: String, epoch: UInt64) async {
        let started = now()
        do {
            let restored = try JournalRecovery(journal: journal).replay.restore(segment: segment, configured: specs[segment])
            try await registry.install([restored])
            counters.record { $0.takeovers += 1 }
            logger.notice(
                "segment taken",
                metadata: [
                    "segment": "\(segment)", "epoch": "\(epoch)", "sequence": "\(restored.lastSequence)",
                    "replayed": "\(restored.replayed)", "millis": "\((now() &- started) / 1_000_000)",
                ])
        } catch {
            logger.error("segment could not be loaded; lease given back", metadata: ["segment": "\(segment)", "error": "\(error)"])
            registry.remove(segment)
            try? leases.release(segment)
        }
    }

    /// Stops serving at once: requests already inside the segment fail at the journal, which
    /// no longer holds the epoch.
    func drop(_ segment: String, because reason: String) {
        if let epoch = membership.epochs.epoch(of: segment) { membership.epochs.revoke(segment, epoch: epoch) }
        if registry.remove(segment) {
            logger.warning("segment dropped", metadata: ["segment": "\(segment)", "reason": "\(reason)"])
        }
    }

    /// Another live instance should own it: stop serving, then free the lease at once so it
    /// need not wait for the lease to run out.
    private func handOff(_ segment: String) {
        registry.remove(segment)
        try? leases.release(segment)
        counters.record { $0.handoffs += 1 }
        logger.info("segment handed off", metadata: ["segment": "\(segment)"])
    }

    /// The journal refused a write: another instance took the segment over.
    private func fenced(_ segment: String) {
        counters.record { $0.fencingEvents += 1 }
        if membership.epochs.epoch(of: segment) == nil { drop(segment, because: "write fenced by a newer lease") }
    }

    private func renewalFailed(_ error: JournalError, startedAt: UInt64) {
        counters.record { $0.renewalFailures += 1 }
        map.withLock { $0.isCurrent = false }
        state.markDegraded("cluster database unreachable: \(error.message)")
        // Our leases last `lease` from the last renewal that reached the database; stop one
        // renew interval before that, so a new owner never finds us still serving.
        let settings = membership.settings
        let margin = UInt64(settings.leaseMilliseconds - settings.renewMilliseconds) * 1_000_000
        let last = lastRenewal.withLock { $0 }
        if last.map({ startedAt &- $0 >= margin }) ?? true {
            for (segment, _) in membership.epochs.held { drop(segment, because: "leases not renewed in time") }
        }
        logger.error("lease renewal failed", metadata: ["error": "\(error.message)"])
    }

    /// The database is back after an outage: the failed batch may or may not have
    /// committed, so the journal reconnects and every served segment is rebuilt from it.
    private func recoverFromOutage() async throws(JournalError) {
        try await journal.reopen()
        for (segment, epoch) in membership.epochs.held {
            registry.remove(segment)
            await load(segment, epoch: epoch)
        }
        state.clearDegraded()
        logger.notice("cluster database reachable again; segments reloaded")
    }

    /// Another instance took or gave back a lease (`NOTIFY`): re-reads the owner map now, so
    /// redirects follow without waiting for this instance's next round. Ownership itself
    /// still changes only in rounds.
    func refreshMap() {
        _ = try? readMap()
        mapRefreshed.withLock { $0 }?()
    }

    /// Called after each `refreshMap` (tests wait on it instead of on time).
    let mapRefreshed = Mutex<(@Sendable () -> Void)?>(nil)

    /// Reads the owner map and publishes it, unless a read that started later has already
    /// been published (a refresh and a round may overlap: the newer read wins).
    @discardableResult
    private func readMap() throws(JournalError) -> OwnerMap {
        let ticket = mapReads.add(1, ordering: .relaxed).newValue
        let view = try loadMap()
        map.withLock { map in
            guard ticket > map.readTicket else { return }
            map = view
            map.readTicket = ticket
        }
        return view
    }

    private func loadMap() throws(JournalError) -> OwnerMap {
        var view = OwnerMap()
        view.instances = try leases.instances()
        for lease in try leases.leases() { view.leases[lease.segment] = lease }
        view.statuses = try membership.outbox.statuses()
        view.usage = view.statuses.mapValues { BridgeUsage.decode($0.usage) }
        // Every segment written in cluster mode has a lease row; configured ones may not yet.
        view.known = Set(specs.keys).union(view.leases.keys.filter { !JournalStream.isReserved($0) })
        view.isCurrent = true
        return view
    }

    /// Publishes the mode, spec and bridge use of each served segment that changed since the last round
    /// (under its epoch: an older owner's late write never overwrites a newer one's).
    private func publishStatuses() async throws(JournalError) {
        for (segment, epoch) in membership.epochs.held {
            guard let engine = registry.engine(segment) else { continue }
            var usage: [(BridgeSpec, Amount)] = []
            for bridge in outgoingBridges.withLock({ $0 })?(segment) ?? [] { usage.append((bridge, await engine.bridgeUsage(bridge))) }
            let status = PublishedStatus(
                mode: engine.published.mode.rawValue, spec: await engine.spec().jsonBytes, usage: BridgeUsage.encode(usage))
            let last = published.withLock { $0[segment] }
            if let last, last.epoch == epoch, last.status == status { continue }
            try membership.outbox.publish(segment: segment, epoch: epoch, status: status)
            published.withLock { $0[segment] = (epoch, status) }
        }
    }

    /// Gives every lease up (graceful stop): other instances take the segments at once.
    func releaseAll() {
        for (segment, _) in membership.epochs.held {
            registry.remove(segment)
            try? leases.release(segment)
        }
    }
}
