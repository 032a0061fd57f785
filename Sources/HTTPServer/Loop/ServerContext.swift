import HTTPWire
import Synchronization

/// Everything the event loops share: configuration, the responder, counters, limits.
final class ServerContext: Sendable {
    let configuration: HTTPServerConfiguration
    let responder: any HTTPResponder
    let counters = ServerCounters()
    let addresses: AddressTable?
    let tls: TLSContext?
    let log: (@Sendable (String) -> Void)?
    let listenFD: Int32
    /// Every loop, set once before their threads start; accepts hand connections to the
    /// least loaded one.
    private let loopList = Mutex<[EventLoop]>([])

    // Deadlines in nanoseconds, precomputed.
    let headTimeout: Int64
    let bodyIdleTimeout: Int64
    let keepAliveTimeout: Int64
    let writeStallTimeout: Int64
    let lingerTimeout: Int64
    /// How often each loop checks deadlines: a fraction of the shortest timeout.
    let sweepInterval: Int64

    init(configuration: HTTPServerConfiguration, responder: any HTTPResponder, tls: TLSContext?,
         listenFD: Int32, log: (@Sendable (String) -> Void)?) {
        self.configuration = configuration
        self.responder = responder
        self.tls = tls
        self.listenFD = listenFD
        self.log = log
        let needsTable = configuration.maxConnectionsPerAddress != nil || configuration.addressRequestRate != nil
        addresses = needsTable ? AddressTable(
            capacity: configuration.maxTrackedAddresses,
            maxConnections: configuration.maxConnectionsPerAddress,
            rate: configuration.addressRequestRate
        ) : nil
        func ns(_ seconds: Double) -> Int64 { Int64(max(0.001, seconds) * 1e9) }
        headTimeout = ns(configuration.requestHeadTimeoutSeconds)
        bodyIdleTimeout = ns(configuration.bodyIdleTimeoutSeconds)
        keepAliveTimeout = ns(configuration.keepAliveIdleTimeoutSeconds)
        writeStallTimeout = ns(configuration.writeStallTimeoutSeconds)
        lingerTimeout = ns(configuration.closeLingerSeconds)
        let shortest = min(headTimeout, bodyIdleTimeout, keepAliveTimeout, writeStallTimeout, lingerTimeout)
        sweepInterval = min(max(shortest / 8, 5_000_000), 250_000_000)
    }

    /// Installs the loops (at start) or drops them (after the last one exits, since the
    /// loops hold the context too).
    func setLoops(_ loops: [EventLoop]) {
        loopList.withLock { $0 = loops }
    }

    /// The loop with the fewest connections (ties go to `preferred`, so a lone loop or an
    /// even spread keeps the connection where it was accepted).
    func leastLoadedLoop(preferring preferred: EventLoop) -> EventLoop {
        var best = preferred
        var bestLoad = preferred.load.load(ordering: .relaxed)
        for loop in loopList.withLock({ $0 }) where loop !== preferred {
            let load = loop.load.load(ordering: .relaxed)
            if load < bestLoad {
                best = loop
                bestLoad = load
            }
        }
        return best
    }

    func emit(_ event: HTTPServerEvent) {
        configuration.onEvent?(event)
    }
}
