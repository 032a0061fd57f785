import HTTPWire

/// One path segment level of a `Router` tree.
struct RouteNode<Handler: Sendable>: Sendable {
    var literals: [(segment: String, node: RouteNode)] = []
    var parameterName: String?
    var parameterChild: [RouteNode] = []  // zero or one; an array keeps the struct recursive
    var handlers: [(method: HTTPMethod, handler: Handler)] = []
    /// Parameter names along the path to this node, set where a route ends.
    var parameterNames: [String] = []

    mutating func insert(segments: [Substring], method: HTTPMethod, handler: Handler, names: [String] = []) {
        guard let first = segments.first else {
            parameterNames = names
            if let index = handlers.firstIndex(where: { $0.method == method }) {
                handlers[index].handler = handler
            } else {
                handlers.append((method, handler))
            }
            return
        }
        let rest = Array(segments.dropFirst())
        if first.first == "{", first.last == "}", first.count >= 3 {
            let name = String(first.dropFirst().dropLast())
            precondition(parameterName == nil || parameterName == name,
                         "conflicting parameter names {\(parameterName ?? "")} and {\(name)} at one position")
            parameterName = name
            if parameterChild.isEmpty { parameterChild.append(RouteNode()) }
            parameterChild[0].insert(segments: rest, method: method, handler: handler, names: names + [name])
        } else {
            let literal = String(first)
            if let index = literals.firstIndex(where: { $0.segment == literal }) {
                literals[index].node.insert(segments: rest, method: method, handler: handler, names: names)
            } else {
                var node = RouteNode()
                node.insert(segments: rest, method: method, handler: handler, names: names)
                literals.append((literal, node))
            }
        }
    }

    /// The node a path ends at (one with handlers), literal branches first.
    func find(_ segments: ArraySlice<Substring>, captured: inout [Substring]) -> RouteNode? {
        guard let first = segments.first else { return handlers.isEmpty ? nil : self }
        let rest = segments.dropFirst()
        for literal in literals where literal.segment == first {
            if let found = literal.node.find(rest, captured: &captured) { return found }
        }
        if let child = parameterChild.first, !first.isEmpty {
            captured.append(first)
            if let found = child.find(rest, captured: &captured) { return found }
            captured.removeLast()
        }
        return nil
    }

    func handler(for method: HTTPMethod) -> Handler? {
        handlers.first { $0.method == method }?.handler
    }

    var allowedMethods: [HTTPMethod] {
        var methods = handlers.map(\.method)
        if methods.contains(.get), !methods.contains(.head) { methods.append(.head) }
        return methods
    }

    func routes(prefix: String) -> [(method: HTTPMethod, pattern: String)] {
        var result = handlers.map { ($0.method, prefix.isEmpty ? "/" : prefix) }
        for literal in literals { result += literal.node.routes(prefix: prefix + "/" + literal.segment) }
        if let name = parameterName, let child = parameterChild.first {
            result += child.routes(prefix: prefix + "/{" + name + "}")
        }
        return result
    }
}
