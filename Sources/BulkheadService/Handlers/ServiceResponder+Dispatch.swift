extension ServiceResponder {
    /// The one switch from a route to its handler. Readiness, authorization and idempotency
    /// have run already (`respond`); `idempotency` is the record of a request made with an
    /// `Idempotency-Key` on a route that takes one.
    func dispatch(_ endpoint: Endpoint, _ context: RequestContext, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        switch endpoint {
        case .healthz: return healthz()
        case .readyz: return readyz()
        case .metrics: return await metricsExposition()
        case .openAPIYAML: return Reply(status: 200, body: OpenAPIDocument.yaml, contentType: "application/yaml")
        case .openAPIJSON: return Reply(status: 200, body: OpenAPIDocument.json)
        case .listSegments: return try await listSegments(context)
        case .createSegment: return try await createSegment(context, idempotency: idempotency)
        case .getSegment: return try await getSegment(context)
        case .postPrices: return try await segmentCommand(.prices, context, idempotency: idempotency)
        case .postPositions: return try await segmentCommand(.fill, context, idempotency: idempotency)
        case .checkOrder: return try await segmentCommand(.check, context, idempotency: nil)
        case .postCollateral: return try await segmentCommand(.collateral, context, idempotency: idempotency)
        case .getAccount: return try await getAccount(context)
        case .listAccounts: return try await listAccounts(context)
        case .listLiquidations: return try await listLiquidations(context)
        case .postTransfers: return try await postTransfer(context, idempotency: idempotency)
        case .getTransfer: return try await getTransfer(context)
        case .listBridges: return try await listBridges(context)
        case .putBridge: return try await putBridge(context)
        case .deleteBridge: return try await deleteBridge(context)
        case .events: return try events(context)
        case .putParams: return try await putParams(context)
        case .paramsHistory: return try await paramsHistory(context)
        case .putMode: return try await putMode(context)
        case .postInsurance: return try await postInsurance(context, idempotency: idempotency)
        case .postStress: return try await postStress(context)
        case .console: return try consoleFile(ConsoleAssets.pageName, context)
        case .consoleAsset: return try consoleFile(context.parameters[.asset], context)
        case .cluster: return try clusterView(context)
        }
    }
}
