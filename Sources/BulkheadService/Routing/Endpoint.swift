import HTTPWire

/// Every route the service answers, in one table: method, pattern (also the metrics label),
/// the kind of work, who may call it and whether `Idempotency-Key` applies. The stages in
/// `ServiceResponder.respond` read these declarations, so a new route gets readiness,
/// authorization, idempotency, metrics and logging by adding a case here and its handler in
/// `ServiceResponder.dispatch` (docs/architecture.md).
enum Endpoint: String, Sendable, CaseIterable {
    case healthz, readyz, metrics, openAPIYAML, openAPIJSON
    case listSegments, createSegment, getSegment
    case postPrices, postPositions, checkOrder, postCollateral
    case getAccount, listAccounts, listLiquidations
    // Bridges and transfers between segments (#12).
    case postTransfers, getTransfer, listBridges, putBridge, deleteBridge
    // Live control (#18).
    case events, putParams, paramsHistory, putMode, postInsurance
    // Stress (#13): a scenario on copies of the book; nothing live changes.
    case postStress
    // The operator console (issue 16): a static page and its files, no key.
    case console, consoleAsset
    // Cluster mode (issue 15).
    case cluster

    var method: HTTPMethod {
        switch self {
        case .healthz, .readyz, .metrics, .openAPIYAML, .openAPIJSON, .listSegments, .getSegment, .getAccount, .listAccounts,
            .listLiquidations, .events, .listBridges, .getTransfer, .paramsHistory:
            .get
        case .deleteBridge:
            .delete
        case .createSegment, .postPrices, .postPositions, .checkOrder, .postCollateral, .postTransfers, .postStress, .postInsurance:
            .post
        case .putParams, .putBridge, .putMode:
            .put
        case .console, .consoleAsset:
            .get
        case .cluster: .get
        }
    }

    var pattern: String {
        switch self {
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        case .openAPIYAML: "/openapi.yaml"
        case .openAPIJSON: "/openapi.json"
        case .listSegments, .createSegment: "/v1/segments"
        case .getSegment: "/v1/segments/{segment}"
        case .postPrices: "/v1/segments/{segment}/prices"
        case .postPositions: "/v1/segments/{segment}/positions"
        case .checkOrder: "/v1/segments/{segment}/orders/check"
        case .postCollateral: "/v1/segments/{segment}/collateral"
        case .getAccount: "/v1/segments/{segment}/accounts/{account}"
        case .listAccounts: "/v1/segments/{segment}/accounts"
        case .listLiquidations: "/v1/segments/{segment}/liquidations"
        case .events: "/v1/segments/{segment}/events"
        case .putParams: "/v1/segments/{segment}/params"
        case .paramsHistory: "/v1/segments/{segment}/params/history"
        case .putMode: "/v1/segments/{segment}/mode"
        case .postInsurance: "/v1/segments/{segment}/insurance"
        case .postTransfers: "/v1/transfers"
        case .getTransfer: "/v1/transfers/{transfer}"
        case .listBridges, .putBridge, .deleteBridge: "/v1/bridges"
        case .postStress: "/v1/stress"
        case .console: "/console"
        case .consoleAsset: "/console/{asset}"
        case .cluster: "/v1/cluster"
        }
    }

    var kind: RouteKind {
        switch self {
        case .healthz, .readyz, .metrics, .openAPIYAML, .openAPIJSON: .probe
        case .listSegments, .getSegment, .getAccount, .listAccounts, .listLiquidations, .listBridges, .getTransfer, .postStress, .paramsHistory: .read
        case .postPrices: .segmentCommand(.prices)
        case .postPositions: .segmentCommand(.fill)
        case .checkOrder: .segmentCommand(.check)
        case .postCollateral: .segmentCommand(.collateral)
        case .createSegment, .putParams, .postTransfers, .putBridge, .deleteBridge, .putMode, .postInsurance: .command
        case .events: .stream
        case .console, .consoleAsset: .probe
        case .cluster: .read
        }
    }

    /// The role a key needs; nil for the routes that need no key (probes, metrics, the API
    /// description, the console's static files).
    var permission: Permission? {
        switch self {
        case .healthz, .readyz, .metrics, .openAPIYAML, .openAPIJSON: nil
        case .listSegments, .listBridges: .anyKey
        case .getSegment, .getAccount, .listAccounts, .listLiquidations, .events, .postStress, .getTransfer, .paramsHistory: .read
        case .postPrices: .postPrices
        case .postPositions, .checkOrder, .postCollateral, .postTransfers: .trade
        case .createSegment, .putParams, .putBridge, .deleteBridge, .putMode, .postInsurance: .admin
        case .console, .consoleAsset: nil
        case .cluster: .anyKey
        }
    }

    /// Which segments the key's scope must cover, as far as the route itself tells.
    var scope: RouteScope {
        switch self {
        case .healthz, .readyz, .metrics, .openAPIYAML, .openAPIJSON: .none
        case .getSegment, .postPrices, .postPositions, .checkOrder, .postCollateral, .getAccount, .listAccounts,
            .listLiquidations, .events, .putParams, .paramsHistory, .putMode, .postInsurance:
            .pathSegment
        case .listSegments, .listBridges: .filteredByHandler
        // A transfer record names its two ends: the handler checks `read` on both once found.
        case .getTransfer: .filteredByHandler
        // DELETE names its ends in the query, PUT in the body: the handler authorizes both.
        case .createSegment, .postTransfers, .postStress, .putBridge, .deleteBridge: .namedInBody
        case .console, .consoleAsset: .none
        case .cluster: .filteredByHandler
        }
    }

    /// Mutating POSTs: `Idempotency-Key` applies.
    var isIdempotent: Bool {
        switch self {
        case .createSegment, .postPrices, .postPositions, .postCollateral, .postTransfers, .postInsurance: true
        default: false
        }
    }
}

/// What kind of work a route does; decides the path a request takes through the stages.
enum RouteKind: Sendable, Equatable {
    /// Health, readiness, metrics, the API description, the console's static files: no key,
    /// answered while starting (the console's data routes need a key).
    case probe
    /// Reads one or more segments' state; never journaled.
    case read
    /// A command for the one segment named in the path, run on its actor and journaled.
    case segmentCommand(SegmentCommand.Kind)
    /// A journaled change that is not one segment's command (segment creation, governance,
    /// transfers across two segments' actors).
    case command
    /// A long-lived response (Server-Sent Events).
    case stream
}

/// How the authorization stage finds the segments a request touches.
enum RouteScope: Sendable, Equatable {
    /// No key needed.
    case none
    /// The `{segment}` path parameter.
    case pathSegment
    /// Role only; the handler shows each key just the segments in its scope.
    case filteredByHandler
    /// Role first (401/403 before the body is read), then the handler authorizes the
    /// segments the body names once it is decoded.
    case namedInBody
}
