import HTTPServer
import HTTPWire

/// The quota stage (#17): a verified key pays for its request from its own bucket; a keyed
/// request no verified key pays for (unknown or refused key, a probe, an unknown route) pays
/// from its address's bucket. Requests without `Authorization` were counted by the transport.
extension ServiceResponder {
    func charge(_ principal: Principal) throws(APIError) {
        guard let retry = quotas.charge(principal) else { return }
        metrics.recordRateLimited(keyID: principal.keyID)
        throw .rateLimited("key '\(principal.keyID)' is over its request quota", retryAfter: retry)
    }

    func chargeUnverified(_ request: HTTPRequest) throws(APIError) {
        guard request.head.headers.contains("Authorization") else { return }
        let summary = HTTPRequestSummary(address: HTTPRequestSummary.host(of: request.remoteAddress), hasCredentials: true)
        guard let retry = quotas.chargeUnverified(summary) else { return }
        metrics.recordRateLimited(keyID: nil)
        throw .rateLimited("too many requests from this address without a valid key", retryAfter: retry)
    }

    /// 404/405/400 for a request that matched no route, unless its address is over its limit.
    func finishUnmatched(_ error: APIError, _ request: HTTPRequest, started: UInt64) -> HTTPResponse {
        var reply = Reply(error: error)
        do { try chargeUnverified(request) } catch { reply = Reply(error: error) }
        return finish(reply, to: request, route: "unmatched", started: started)
    }
}
