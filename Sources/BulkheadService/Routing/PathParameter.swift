import HTTPServer

/// The names a route pattern may capture (`{segment}`, `{account}`, …): handlers read
/// parameters by name, never by position.
enum PathParameter: String, Sendable, CaseIterable {
    case segment, account, transfer
    /// A file of the operator console (`/console/{asset}`).
    case asset
}

extension RouteParameters {
    /// The value captured for `name`; "" when the route has no such parameter (the route
    /// table test checks every pattern against the parameters its scope reads).
    subscript(_ name: PathParameter) -> String {
        self[name.rawValue] ?? ""
    }
}
