import Journal
import RiskEngine

/// The cluster as the last ownership round saw it (instances, leases, the segments that
/// exist): read synchronously on the request path to route a segment this instance does not
/// serve. At most one renew interval old; the database, not this map, decides ownership.
struct OwnerMap: Sendable {
    var instances: [ClusterInstance] = []
    /// By segment id.
    var leases: [String: SegmentLease] = [:]
    /// Segments the journal or the configuration defines.
    var known: Set<String> = []
    /// The last round reached the database.
    var isCurrent = false
    /// Which read of the database this is (newer reads replace older ones only).
    var readTicket: UInt64 = 0
    /// Each segment's mode and spec (JSON) as its owner last published them: what bridge
    /// checks use for an end served elsewhere.
    var statuses: [String: PublishedStatus] = [:]
    /// The published window use of each source segment's bridges (by `BridgeUsage.key`),
    /// decoded once per read of the map rather than per request.
    var usage: [String: [String: Amount]] = [:]

    /// The mode of a segment served elsewhere (nil: never published).
    func mode(of segment: String) -> SegmentMode? {
        statuses[segment].flatMap { SegmentMode(rawValue: $0.mode) }
    }

    /// A bridge's window use as the owner of its source last published it.
    func usage(of bridge: BridgeSpec) -> Amount? {
        usage[bridge.from]?[BridgeUsage.key(bridge)]
    }

    /// Where a request for `segment` goes when this instance does not serve it.
    enum Route: Equatable {
        /// Another instance holds a live lease: redirect there.
        case owner(id: String, url: String)
        /// The segment exists but no instance serves it yet (lease expired, being loaded).
        case unavailable
        /// No such segment anywhere (as far as the last round saw).
        case unknown
    }

    func route(_ segment: String, me: String) -> Route {
        if let lease = leases[segment], lease.isLive, let owner = lease.owner, owner != me,
            let instance = instances.first(where: { $0.id == owner })
        {
            return .owner(id: owner, url: instance.url)
        }
        return known.contains(segment) || leases[segment] != nil ? .unavailable : .unknown
    }

    /// Live instances (and this one), sorted by id.
    func liveInstances(including me: String) -> [String] {
        Set(instances.filter(\.isLive).map(\.id) + [me]).sorted()
    }
}

/// Which live instance should own a segment: rendezvous (highest random weight) hashing, so
/// every instance computes the same answer from the same list, and an instance joining or
/// leaving moves only the segments it gains or loses. FNV-1a, not `Hasher` (seeded per
/// process), so every process agrees.
enum PreferredOwner {
    static func of(_ segment: String, among instances: [String]) -> String? {
        instances.max { weight(segment, $0) < weight(segment, $1) || (weight(segment, $0) == weight(segment, $1) && $0 > $1) }
    }

    static func weight(_ segment: String, _ instance: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in segment.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
        for byte in instance.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        // A final mix: FNV's low bits alone spread short, similar names poorly.
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        return hash
    }
}
