import Testing
@testable import BulkheadService

/// Every `/v1` route × role × in-scope / out-of-scope, as API.md states it.
///
/// Each row is what a route requires (permission and the segments the request touches); the
/// expected outcome follows from the role rules alone, so a route wired with the wrong
/// permission or the wrong segment list shows up here as a mismatch with the table.
@Suite("Authorization matrix: route × role × scope")
struct AuthorizationMatrixTests {
    struct Route: Sendable, CustomStringConvertible {
        var method: String
        var path: String
        var permission: Permission
        /// Segments the request touches when aimed at `majors` (and `alts` for a transfer).
        var segments: [String]
        var description: String { "\(method) \(path)" }
    }

    static let routes: [Route] = [
        Route(method: "GET", path: "/v1/segments", permission: .anyKey, segments: []),
        Route(method: "POST", path: "/v1/segments", permission: .admin, segments: ["majors"]),
        Route(method: "GET", path: "/v1/segments/majors", permission: .read, segments: ["majors"]),
        Route(method: "PUT", path: "/v1/segments/majors/params", permission: .admin, segments: ["majors"]),
        Route(method: "POST", path: "/v1/segments/majors/prices", permission: .postPrices, segments: ["majors"]),
        Route(method: "POST", path: "/v1/segments/majors/positions", permission: .trade, segments: ["majors"]),
        Route(method: "POST", path: "/v1/segments/majors/orders/check", permission: .trade, segments: ["majors"]),
        Route(method: "POST", path: "/v1/segments/majors/collateral", permission: .trade, segments: ["majors"]),
        Route(method: "GET", path: "/v1/segments/majors/accounts/alice", permission: .read, segments: ["majors"]),
        Route(method: "GET", path: "/v1/segments/majors/accounts", permission: .read, segments: ["majors"]),
        Route(method: "GET", path: "/v1/segments/majors/liquidations", permission: .read, segments: ["majors"]),
        Route(method: "GET", path: "/v1/segments/majors/events", permission: .read, segments: ["majors"]),
        Route(method: "POST", path: "/v1/transfers", permission: .trade, segments: ["majors", "alts"]),
        Route(method: "GET", path: "/v1/bridges", permission: .anyKey, segments: []),
        Route(method: "POST", path: "/v1/stress", permission: .read, segments: ["alts"]),
    ]

    enum Scope: String, Sendable, CaseIterable {
        /// The key covers every segment the request touches.
        case inScope
        /// The key covers only `majors`; transfers and stress reach `alts` too.
        case partial
        /// The key covers neither segment.
        case outOfScope

        var segments: Set<String>? {
            switch self {
            case .inScope: nil
            case .partial: ["majors"]
            case .outOfScope: ["defi"]
            }
        }
    }

    /// API.md: admin everything; oracle posts prices; trading posts positions, collateral,
    /// transfers and reads; read reads.
    static func roleAllows(_ role: Role, _ permission: Permission) -> Bool {
        switch (role, permission) {
        case (.admin, _), (.oracle, .postPrices), (.trading, .trade), (.trading, .read), (.trading, .anyKey),
             (.read, .read), (.read, .anyKey):
            true
        default:
            false
        }
    }

    static func expectedStatus(_ route: Route, _ role: Role, _ scope: Scope) -> Int {
        guard roleAllows(role, route.permission) else { return 403 }
        let covered = route.segments.allSatisfy { scope.segments?.contains($0) ?? true }
        return covered ? 200 : 403
    }

    static let store: APIKeyStore = {
        var entries: [APIKeyEntry] = []
        for role in Role.allCases {
            for scope in Scope.allCases {
                let id = "\(role.rawValue)-\(scope.rawValue)"
                entries.append(APIKeyEntry(id: id, digest: APIKeyDigest.sha256(of: id + "-key"), role: role, segments: scope.segments))
            }
        }
        return try! APIKeyStore(entries: entries)
    }()

    @Test(arguments: routes, Role.allCases)
    func routeRoleScope(route: Route, role: Role) {
        let authorizer = Authorizer(store: Self.store, logger: AuthLogCapture().logger)
        for scope in Scope.allCases {
            let header = "Bearer \(role.rawValue)-\(scope.rawValue)-key"
            let decision = authorizer.authorize(authorization: header, permission: route.permission, segments: route.segments)
            let status: Int
            switch decision {
            case .allowed(let principal):
                status = 200
                #expect(principal.keyID == "\(role.rawValue)-\(scope.rawValue)")
            case .denied(let denied, let code, _):
                status = denied
                #expect(code == "forbidden")
            }
            #expect(status == Self.expectedStatus(route, role, scope), "\(route) as \(role) \(scope)")
        }
        for header in [nil, "Bearer nobody", "Basic YTpi"] {
            let decision = authorizer.authorize(authorization: header, permission: route.permission, segments: route.segments)
            #expect(decision == .denied(status: 401, code: "unauthorized", message: Self.message(decision)), "\(route) with \(header ?? "no header")")
        }
    }

    static func message(_ decision: AuthDecision) -> String {
        if case .denied(_, _, let message) = decision { return message }
        return ""
    }
}
