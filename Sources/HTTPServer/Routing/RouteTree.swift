import HTTPWire

/// The shape of a `Router`: path segments to nodes, each node's handlers as slots into the
/// router's handler array. Not generic over the handler type, so matching compiles to
/// specialized code in this module (the generic tree cost ~6 µs a request in metadata
/// lookups, tuple copies and a split into a `[Substring]`).
struct RouteTree: Sendable {
    struct Literal: Sendable {
        var segment: [UInt8]
        var child: Int
    }

    struct Route: Sendable {
        var method: HTTPMethod
        var slot: Int
    }

    struct Node: Sendable {
        var literals: [Literal] = []
        var parameterName: String?
        var parameterChild: Int?
        var routes: [Route] = []
        /// Parameter names along the path to this node, set where a route ends.
        var parameterNames: [String] = []
    }

    /// `nodes[0]` is the root.
    private(set) var nodes: [Node] = [Node()]

    /// The node for `pattern` (segments separated by `/`, `{name}` a parameter), created as
    /// needed, with the pattern's parameter names recorded on it.
    mutating func node(for pattern: Substring) -> Int {
        var current = 0
        var names: [String] = []
        for segment in Self.segments(of: pattern) {
            if segment.first == "{", segment.last == "}", segment.count >= 3 {
                let name = String(segment.dropFirst().dropLast())
                let existing = nodes[current].parameterName
                precondition(existing == nil || existing == name,
                             "conflicting parameter names {\(existing ?? "")} and {\(name)} at one position")
                nodes[current].parameterName = name
                names.append(name)
                if let child = nodes[current].parameterChild {
                    current = child
                } else {
                    nodes.append(Node())
                    nodes[current].parameterChild = nodes.count - 1
                    current = nodes.count - 1
                }
            } else {
                let bytes = Array(segment.utf8)
                if let literal = nodes[current].literals.first(where: { $0.segment == bytes }) {
                    current = literal.child
                } else {
                    nodes.append(Node())
                    nodes[current].literals.append(Literal(segment: bytes, child: nodes.count - 1))
                    current = nodes.count - 1
                }
            }
        }
        nodes[current].parameterNames = names
        return current
    }

    /// Adds `method` at `node` (the router checked it is not there yet).
    mutating func addRoute(_ method: HTTPMethod, slot: Int, at node: Int) {
        nodes[node].routes.append(Route(method: method, slot: slot))
    }

    /// The node `path` ends at (one with routes), literal branches first, with the byte
    /// ranges (in `path.utf8`) of the parameters along the way.
    func find(_ path: Substring, captured: inout [Range<Int>]) -> Int? {
        var path = path
        return path.withUTF8 { bytes in
            guard bytes.first == UInt8(ascii: "/") else { return nil }
            // The segments follow the leading "/"; an empty remainder has none.
            return find(0, bytes, from: bytes.count > 1 ? 1 : nil, captured: &captured)
        }
    }

    /// `start` is where the next segment begins, nil when the path has no more segments.
    private func find(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>, from start: Int?, captured: inout [Range<Int>]) -> Int? {
        let node = nodes[index]
        guard let start else { return node.routes.isEmpty ? nil : index }
        var end = start
        while end < bytes.count && bytes[end] != UInt8(ascii: "/") { end += 1 }
        let next: Int? = end < bytes.count ? end + 1 : nil
        let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
        for literal in node.literals where literal.segment.count == segment.count && literal.segment.elementsEqual(segment) {
            if let found = find(literal.child, bytes, from: next, captured: &captured) { return found }
        }
        if let child = node.parameterChild, end > start {
            captured.append(start..<end)
            if let found = find(child, bytes, from: next, captured: &captured) { return found }
            captured.removeLast()
        }
        return nil
    }

    func slot(for method: HTTPMethod, at node: Int) -> Int? {
        nodes[node].routes.first { $0.method == method }?.slot
    }

    func allowedMethods(at node: Int) -> [HTTPMethod] {
        var methods = nodes[node].routes.map(\.method)
        if methods.contains(.get), !methods.contains(.head) { methods.append(.head) }
        return methods
    }

    func routes(from index: Int = 0, prefix: String = "") -> [(method: HTTPMethod, pattern: String)] {
        let node = nodes[index]
        var result = node.routes.map { ($0.method, prefix.isEmpty ? "/" : prefix) }
        for literal in node.literals {
            result += routes(from: literal.child, prefix: prefix + "/" + String(decoding: literal.segment, as: UTF8.self))
        }
        if let name = node.parameterName, let child = node.parameterChild {
            result += routes(from: child, prefix: prefix + "/{" + name + "}")
        }
        return result
    }

    static func segments(of path: Substring) -> [Substring] {
        var body = path
        if body.first == "/" { body = body.dropFirst() }
        if body.isEmpty { return [] }
        return body.split(separator: "/", omittingEmptySubsequences: false)
    }
}
