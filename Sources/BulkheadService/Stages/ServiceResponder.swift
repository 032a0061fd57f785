import HTTPServer
import HTTPWire
import Journal
import Logging

/// The application side of the HTTP server: routes each request, authorizes `/v1` routes,
/// validates input completely, hands commands to the segment's actor and renders the answer.
public final class ServiceResponder: HTTPResponder {
    let registry: SegmentRegistry
    /// Bridges and transfers between segments (#12).
    let bridges: BridgeRegistry
    let transfers: TransferCoordinator
    /// Stress runs in progress (#13), at most `stress.maxConcurrent`, and their deadline clock.
    let stressRuns: InFlightGate
    let elapsedClock: any ElapsedClock
    let authorizer: any RequestAuthorizing
    let idempotency: IdempotencyLedger
    let state: ServiceState
    let metrics: ServiceMetrics
    let settings: ServiceSettings
    let logger: Logger
    let routes = RouteTable()
    let requestIDs = RequestIDSource()
    let hop: SegmentHop
    let journalMetrics: @Sendable () -> JournalMetrics?
    /// Open event streams, service-wide (`events.maxSubscribers`).
    let eventSlots: EventStreamSlots
    /// Cluster mode (issue 15): routes requests for segments served elsewhere.
    let cluster: SegmentOwnership?
    /// Cluster mode: transfers through the outbox.
    let clusterTransfers: ClusterTransfers?
    /// Request quotas by API key (#17).
    let quotas: RequestQuotas

    init(
        registry: SegmentRegistry, bridges: BridgeRegistry, transfers: TransferCoordinator, authorizer: any RequestAuthorizing, idempotency: IdempotencyLedger, state: ServiceState,
        metrics: ServiceMetrics, settings: ServiceSettings, logger: Logger, hop: SegmentHop,
        journalMetrics: @escaping @Sendable () -> JournalMetrics?, quotas: RequestQuotas, cluster: SegmentOwnership? = nil,
        clusterTransfers: ClusterTransfers? = nil, elapsedClock: any ElapsedClock = MonotonicElapsedClock()
    ) {
        self.cluster = cluster
        self.clusterTransfers = clusterTransfers
        self.quotas = quotas
        self.stressRuns = InFlightGate(limit: settings.stressMaxConcurrent)
        self.elapsedClock = elapsedClock
        self.hop = hop
        self.journalMetrics = journalMetrics
        self.eventSlots = EventStreamSlots(limit: settings.events.maxSubscribers)
        self.registry = registry
        self.bridges = bridges
        self.transfers = transfers
        self.authorizer = authorizer
        self.idempotency = idempotency
        self.state = state
        self.metrics = metrics
        self.settings = settings
        self.logger = logger
    }

    /// The request path, stage by stage (docs/architecture.md). The transport has already
    /// applied its own stages: framing limits, the per-address rate limit; it compresses the
    /// answer on the way out.
    ///
    ///   route → readiness → authorization → [idempotency] → handler → request id, metrics, log
    ///
    /// A segment command without `Idempotency-Key` (the hot path) takes the same stages with
    /// its decoding done synchronously, so its task has two async frames: this one and `run`.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let started = MonotonicClock.nanoseconds()
        let match: RouteTable.Match
        switch routes.match(method: request.head.method, path: request.head.path) {
        case .matched(let matched):
            match = matched
        case .methodNotAllowed(let allowed):
            return finishUnmatched(.methodNotAllowed(request.head.method.name, allowed: allowed), request, started: started)
        case .notFound:
            return finishUnmatched(.notFound(request.head.path), request, started: started)
        case .invalidPath:
            return finishUnmatched(.invalidPath(request.head.path), request, started: started)
        }
        let reply: Reply
        do {
            if let prepared = try preparedCommand(match, request: request) {
                reply = try await run(prepared.command, on: prepared.engine, idempotency: nil)
            } else {
                reply = try await handle(match, request: request)
            }
        } catch {
            reply = Reply(error: error)
        }
        return finish(reply, to: request, route: match.endpoint.pattern, started: started)
    }

    /// Readiness and authorization, as the route table declares them. Synchronous.
    @inline(never)
    func admit(_ match: RouteTable.Match, _ request: HTTPRequest) throws(APIError) -> RequestContext {
        var context = RequestContext(request: request, parameters: match.parameters)
        let endpoint = match.endpoint
        guard let permission = endpoint.permission else {
            try chargeUnverified(request)
            return context
        }
        if state.current == .starting { throw .notReady("starting", retryAfter: 1) }
        let segments = endpoint.scope == .pathSegment ? [context.segment] : []
        let principal: Principal
        do {
            principal = try authorize(context, permission, segments: segments)
        } catch {
            // Failed auth is limited per address: a 429 replaces the 401/403 once over it.
            try chargeUnverified(request)
            throw error
        }
        try charge(principal)
        context.principal = principal
        if let cluster, endpoint.scope == .pathSegment { try routeToOwner(cluster, context.segment, request) }
        return context
    }

    /// Every route but the hot path: admission, then the idempotency stage where the route
    /// takes `Idempotency-Key`, then the route's handler. A malformed key is refused on every
    /// keyed route, also where it would be ignored, so a client learns of it at once.
    private func handle(_ match: RouteTable.Match, request: HTTPRequest) async throws(APIError) -> Reply {
        let context = try admit(match, request)
        let endpoint = match.endpoint
        guard endpoint.permission != nil, request.head.headers.contains("Idempotency-Key") else {
            return try await dispatch(endpoint, context, idempotency: nil)
        }
        guard endpoint.isIdempotent else {
            _ = try IdempotencyKey.supplied(in: request.head.headers)
            return try await dispatch(endpoint, context, idempotency: nil)
        }
        return try await idempotent(context) { (record) throws(APIError) in
            try await self.dispatch(endpoint, context, idempotency: record)
        }
    }

    /// Request id, metrics and log line: kept out of `respond` so its async frame (allocated
    /// per request by the task) holds only what lives across the await.
    @inline(never)
    func finish(_ reply: Reply, to request: HTTPRequest, route label: String, started: UInt64) -> HTTPResponse {
        var reply = reply
        let requestID = requestIDs.identifier(for: request.head.headers.first("X-Request-Id"))
        reply.headers.append(HTTPField("X-Request-Id", requestID))
        let elapsed = MonotonicClock.nanoseconds() &- started
        metrics.recordRequest(route: label, method: request.head.method.name, status: reply.status, nanoseconds: elapsed)
        if reply.status >= 500 {
            logger.warning(
                "request failed",
                metadata: [
                    "request-id": "\(requestID)", "method": "\(request.head.method.name)", "route": "\(label)",
                    "status": "\(reply.status)",
                ])
        } else if logger.logLevel <= .debug {
            logger.debug(
                "request",
                metadata: [
                    "request-id": "\(requestID)", "method": "\(request.head.method.name)", "path": "\(request.head.path)",
                    "status": "\(reply.status)", "micros": "\(elapsed / 1_000)",
                ])
        }
        return reply.response
    }

}
