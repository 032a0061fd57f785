import HTTPWire

/// Maps (method, path) to a handler of any type, with `{name}` parameters.
///
/// ```swift
/// var router = Router<MyHandler>()
/// router.add(.get, "/v1/segments/{segment}/accounts/{account}", showAccount)
/// switch router.match(method: head.method, path: head.path) {
/// case .found(let handler, let parameters): … parameters["segment"] …
/// case .notFound: 404
/// case .methodNotAllowed(let allowed): 405 with `Allow: allowed.map(\.name)`
/// case .invalidPath: 400 (a parameter had an invalid percent-encoding)
/// }
/// ```
///
/// Literal segments win over parameters at the same depth (`/a/new` beats `/a/{id}`), with
/// backtracking when the literal branch has no route. `HEAD` is served by a `GET` route
/// unless a `HEAD` route is registered. Parameter values are percent-decoded and must be
/// valid UTF-8 without NUL; literal segments match the raw (undecoded) path.
public struct Router<Handler: Sendable>: Sendable {
    private var root = RouteNode<Handler>()

    public init() {}

    /// Registers `handler` for `method` and `pattern` (segments separated by `/`, a whole
    /// segment `{name}` is a parameter). A later registration of the same pair replaces it.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: Handler) {
        root.insert(segments: Self.segments(of: Substring(pattern)), method: method, handler: handler)
    }

    /// Finds the route for a request path (the raw path, without the query).
    public func match(method: HTTPMethod, path: Substring) -> RouteMatch<Handler> {
        guard path.first == "/" else { return .notFound }
        var captured: [Substring] = []
        guard let node = root.find(Self.segments(of: path)[...], captured: &captured) else {
            return .notFound
        }
        let handler = node.handler(for: method) ?? (method == .head ? node.handler(for: .get) : nil)
        guard let handler else { return .methodNotAllowed(allowed: node.allowedMethods) }
        var parameters = RouteParameters()
        for (name, raw) in zip(node.parameterNames, captured) {
            guard let value = PercentDecoding.decode(raw) else { return .invalidPath }
            parameters.append(name: name, value: value)
        }
        return .found(handler, parameters)
    }

    /// Every registered (method, pattern), for documentation and tests.
    public var routes: [(method: HTTPMethod, pattern: String)] { root.routes(prefix: "") }

    static func segments(of path: Substring) -> [Substring] {
        var body = path
        if body.first == "/" { body = body.dropFirst() }
        if body.isEmpty { return [] }
        return body.split(separator: "/", omittingEmptySubsequences: false)
    }
}

/// The outcome of `Router.match`.
public enum RouteMatch<Handler: Sendable>: Sendable {
    case found(Handler, RouteParameters)
    case notFound
    /// The path exists for other methods; answer 405 with `Allow` listing them.
    case methodNotAllowed(allowed: [HTTPMethod])
    /// A parameter was not valid percent-encoded UTF-8; answer 400.
    case invalidPath
}

/// Decoded `{name}` values of a matched route, in pattern order.
public struct RouteParameters: Sendable {
    public private(set) var names: [String] = []
    public private(set) var values: [String] = []

    public init() {}

    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }

    public mutating func append(name: String, value: String) {
        names.append(name)
        values.append(value)
    }

    public var count: Int { names.count }
}
