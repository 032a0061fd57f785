import HTTPServer
import HTTPWire

/// The endpoints on the server's `Router`; parameters come back percent-decoded.
struct RouteTable: Sendable {
    struct Match: Sendable {
        var endpoint: Endpoint
        /// Captured parameters, read by name (`parameters[.segment]`).
        var parameters: RouteParameters
    }

    enum Outcome: Sendable {
        case matched(Match)
        /// The path exists for other methods (405 with `Allow`).
        case methodNotAllowed(allowed: [String])
        case notFound
        /// A path parameter is not valid percent-encoded UTF-8.
        case invalidPath
    }

    private let router: Router<Endpoint>

    init(endpoints: [Endpoint] = Endpoint.allCases) {
        var router = Router<Endpoint>()
        for endpoint in endpoints { router.add(endpoint.method, endpoint.pattern, endpoint) }
        self.router = router
    }

    func match(method: HTTPMethod, path: Substring) -> Outcome {
        switch router.match(method: method, path: path) {
        case .found(let endpoint, let parameters):
            return .matched(Match(endpoint: endpoint, parameters: parameters))
        case .notFound:
            return .notFound
        case .methodNotAllowed(let allowed):
            var names = allowed.map(\.name)
            if names.contains("GET"), !names.contains("HEAD") { names.append("HEAD") }
            return .methodNotAllowed(allowed: names)
        case .invalidPath:
            return .invalidPath
        }
    }
}
