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
    private var tree = RouteTree()
    private var handlers: [Handler] = []

    public init() {}

    /// Registers `handler` for `method` and `pattern` (segments separated by `/`, a whole
    /// segment `{name}` is a parameter). A later registration of the same pair replaces it.
    public mutating func add(_ method: HTTPMethod, _ pattern: String, _ handler: Handler) {
        let node = tree.node(for: Substring(pattern))
        if let slot = tree.slot(for: method, at: node) {
            handlers[slot] = handler
        } else {
            tree.addRoute(method, slot: handlers.count, at: node)
            handlers.append(handler)
        }
    }

    /// Finds the route for a request path (the raw path, without the query).
    public func match(method: HTTPMethod, path: Substring) -> RouteMatch<Handler> {
        var captured: [Range<Int>] = []
        guard let node = tree.find(path, captured: &captured) else { return .notFound }
        let slot = tree.slot(for: method, at: node) ?? (method == .head ? tree.slot(for: .get, at: node) : nil)
        guard let slot else { return .methodNotAllowed(allowed: tree.allowedMethods(at: node)) }
        var parameters = RouteParameters(names: tree.nodes[node].parameterNames)
        if !captured.isEmpty {
            let utf8 = path.utf8
            for range in captured {
                let lower = utf8.index(utf8.startIndex, offsetBy: range.lowerBound)
                let upper = utf8.index(lower, offsetBy: range.count)
                guard let value = PercentDecoding.decode(path[lower..<upper]) else { return .invalidPath }
                parameters.appendValue(value)
            }
        }
        return .found(handlers[slot], parameters)
    }

    /// Every registered (method, pattern), for documentation and tests.
    public var routes: [(method: HTTPMethod, pattern: String)] { tree.routes() }

    static func segments(of path: Substring) -> [Substring] {
        RouteTree.segments(of: path)
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

    init(names: [String]) {
        self.names = names
        values.reserveCapacity(names.count)
    }

    public subscript(name: String) -> String? {
        guard let index = names.firstIndex(of: name) else { return nil }
        return values[index]
    }

    public mutating func append(name: String, value: String) {
        names.append(name)
        values.append(value)
    }

    mutating func appendValue(_ value: String) {
        values.append(value)
    }

    public var count: Int { values.count }
}
