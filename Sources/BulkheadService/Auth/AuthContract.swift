import HTTPServer
// CONTRACT between the service's routes (service helper) and access control (ops helper).
// The ops helper implements `APIKeyStore` and `Authorizer` behind these names.

/// A key's role (API.md "Conventions": admin, oracle, trading, read).
public enum Role: String, Sendable, Hashable, CaseIterable {
    case admin
    case oracle
    case trading
    case read
}

/// What a route needs. Every `/v1` route declares one; probes and metrics need none.
public enum Permission: Sendable, Hashable {
    /// `admin` only (create segments, governance).
    case admin
    /// `oracle` (or admin): post prices to the named segments.
    case postPrices
    /// `trading` (or admin): fills, collateral, transfers, pre-trade checks.
    case trade
    /// `read`, `trading` (or admin): read the named segments.
    case read
    /// Any valid key (e.g. list segments, filtered to the key's scope by the route).
    case anyKey
}

/// The caller, once its key is known. Never holds the key itself.
public struct Principal: Sendable, Hashable {
    public var keyID: String
    public var role: Role
    /// `nil` means every segment ("*").
    public var segments: Set<String>?
    /// The key's own request quota (#17); nil: its role's default.
    public var rateLimit: HTTPRateLimit?

    public init(keyID: String, role: Role, segments: Set<String>?, rateLimit: HTTPRateLimit? = nil) {
        self.keyID = keyID
        self.role = role
        self.segments = segments
        self.rateLimit = rateLimit
    }

    public func covers(segment: String) -> Bool {
        segments.map { $0.contains(segment) } ?? true
    }
}

/// The outcome of checking a request's `Authorization` header against a route's needs.
public enum AuthDecision: Sendable, Hashable {
    case allowed(Principal)
    /// 401 (`unauthorized`: missing/unknown key) or 403 (`forbidden`: role or segment scope).
    case denied(status: Int, code: String, message: String)
}

/// Decides whether a request may proceed. `segments` are every segment the request touches
/// (a transfer names two). Implementations compare key hashes in constant time and log
/// denials (key id, never the key).
public protocol RequestAuthorizing: Sendable {
    func authorize(authorization: String?, permission: Permission, segments: [String]) -> AuthDecision
}
