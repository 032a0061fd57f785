import HTTPWire

/// Every route the service answers, with the pattern used as the metrics label.
enum Endpoint: String, Sendable, CaseIterable {
    case healthz, readyz, metrics, openAPIYAML, openAPIJSON
    case listSegments, createSegment, getSegment
    case postPrices, postPositions, checkOrder, postCollateral
    case getAccount, listAccounts, listLiquidations
    // Owned by later issues: answered 501 after authorization.
    case events, putParams, postTransfers, listBridges, postStress

    var method: HTTPMethod {
        switch self {
        case .healthz, .readyz, .metrics, .openAPIYAML, .openAPIJSON, .listSegments, .getSegment, .getAccount, .listAccounts,
            .listLiquidations, .events, .listBridges:
            .get
        case .createSegment, .postPrices, .postPositions, .checkOrder, .postCollateral, .postTransfers, .postStress:
            .post
        case .putParams:
            .put
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
        case .postTransfers: "/v1/transfers"
        case .listBridges: "/v1/bridges"
        case .postStress: "/v1/stress"
        }
    }

    /// Whether the route needs an API key (probes, metrics and the API description do not).
    var isProtected: Bool { pattern.hasPrefix("/v1/") }

    /// Mutating POSTs: `Idempotency-Key` applies.
    var isIdempotent: Bool {
        switch self {
        case .createSegment, .postPrices, .postPositions, .postCollateral: true
        default: false
        }
    }
}
