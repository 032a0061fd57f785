import HTTPWire

extension ServiceResponder {
    /// Checks the request's key against the route's permission and the segments it touches.
    func authorize(_ context: RequestContext, _ permission: Permission, segments: [String]) throws(APIError) -> Principal {
        switch authorizer.authorize(authorization: context.authorization, permission: permission, segments: segments) {
        case .allowed(let principal):
            for segment in segments where !Identifier.isValid(segment) { throw .invalidIdentifier("segment") }
            return principal
        case .denied(let status, let code, let message):
            let headers = status == 401 ? [HTTPField("WWW-Authenticate", "Bearer")] : []
            throw APIError(status: status, code: code, message: message, headers: headers)
        }
    }
}
