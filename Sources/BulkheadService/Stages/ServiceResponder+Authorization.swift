import HTTPWire
import RiskEngine

extension ServiceResponder {
    /// Checks the request's key against the route's permission and the segments it touches.
    func authorize(_ context: RequestContext, _ permission: Permission, segments: [String]) throws(APIError) -> Principal {
        let decision = authorizer.authorize(authorization: context.authorization, permission: permission, segments: segments)
        switch decision {
        case .allowed(let principal):
            for segment in segments where !Identifier.isValid(segment) { throw .invalidIdentifier("segment") }
            return principal
        case .denied(let status, let code, let message):
            // The denial's own headers: a Bearer challenge on 401/403, Retry-After on 503.
            let headers = decision.responseHeaders.map { HTTPField($0.name, $0.value) }
            throw APIError(status: status, code: code, message: message, headers: headers)
        }
    }
}
