import Foundation
import Glibc
import Logging
import RiskEngine
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
        // Creating a segment needs an admin key whose scope covers the new id (the HTTP body
        // creates "m-<key>", outside the partial and out-of-scope keys' segments).
        Route(method: "POST", path: "/v1/segments", permission: .admin, segments: ["m-new"]),
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
        Route(method: "PUT", path: "/v1/bridges", permission: .admin, segments: ["majors", "alts"]),
        Route(method: "DELETE", path: "/v1/bridges?from=majors&to=alts&asset=USDC", permission: .admin, segments: ["majors", "alts"]),
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
                entries.append(APIKeyEntry(id: id, digest: SHA256Digest.sha256(of: id + "-key"), role: role, segments: scope.segments))
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

/// The same matrix over real HTTP: the real app (routes, server, authorizer) on an ephemeral
/// loopback port with the embedded default segments and an in-memory journal.
@Suite("Authorization matrix over HTTP: route × role × scope")
struct AuthorizationMatrixHTTPTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    /// A body that passes validation where the route has one, so an allowed request gets past
    /// authorization to the route's own answer.
    static func body(for route: AuthorizationMatrixTests.Route, tag: String) -> String? {
        switch route.path {
        case "/v1/segments" where route.method == "POST":
            let spec = try! String(contentsOfFile: repoRoot + "/Config/segments.json", encoding: .utf8)
            // The first segment of the default set under a fresh id.
            let start = spec.range(of: "{", range: spec.range(of: "[")!.upperBound..<spec.endIndex)!.lowerBound
            var depth = 0
            var end = start
            for index in spec[start...].indices {
                if spec[index] == "{" { depth += 1 }
                if spec[index] == "}" { depth -= 1; if depth == 0 { end = index; break } }
            }
            return String(spec[start...end]).replacingOccurrences(of: "\"id\": \"majors\"", with: "\"id\": \"m-\(tag)\"")
        case "/v1/segments/majors/prices":
            return #"{"prices": [{"market": "BTC-USD", "price": "64000", "timestamp": "2026-11-24T17:00:00Z", "source": "matrix"}]}"#
        case "/v1/segments/majors/positions", "/v1/segments/majors/orders/check":
            return #"{"account": "matrix", "market": "BTC-USD", "size": "0.001", "price": "64000"}"#
        case "/v1/segments/majors/collateral":
            return #"{"account": "matrix", "asset": "USDC", "amount": "10"}"#
        case "/v1/transfers":
            return #"{"account": "matrix", "from": "majors", "to": "alts", "asset": "USDC", "amount": "1"}"#
        case "/v1/bridges" where route.method == "PUT":
            return #"{"from": "majors", "to": "alts", "asset": "USDC", "windowSeconds": 60, "windowLimit": "10", "maxTransfer": "5"}"#
        case "/v1/stress":
            return #"{"shocks": [{"segment": "alts", "market": "DOGE-USD", "change": "-0.6"}]}"#
        case "/v1/segments/majors/params":
            return "{}"
        default:
            return route.method == "GET" ? nil : "{}"
        }
    }

    static func startApp(store: APIKeyStore) async throws -> BulkheadApp {
        var settings = ServiceSettings()
        settings.port = 0
        settings.eventLoops = 1
        let specs = try SegmentCatalog.load(path: repoRoot + "/Config/segments.json")
        let logger = Logger(label: "matrix") { _ in SwiftLogNoOpLogHandler() }
        let app = BulkheadApp(
            settings: settings, specs: specs, authorizer: Authorizer(store: store, logger: logger),
            journal: VolatileJournal(), logger: logger)
        try await app.start()
        return app
    }

    @Test func everyRouteRoleAndScopeOverHTTP() async throws {
        let app = try await Self.startApp(store: AuthorizationMatrixTests.store)
        let client = MatrixHTTPClient(port: app.port)
        var failures: [String] = []
        for route in AuthorizationMatrixTests.routes {
            // Without a key: 401 with a Bearer challenge, before anything else is looked at.
            let anonymous = try client.send(route.method, route.path, authorization: nil, body: Self.body(for: route, tag: "anon"))
            if anonymous.status != 401 || !anonymous.head.lowercased().contains("www-authenticate: bearer") {
                failures.append("\(route) without key: \(anonymous.status)")
            }
            let unknown = try client.send(route.method, route.path, authorization: "Bearer not-a-key", body: Self.body(for: route, tag: "unknown"))
            if unknown.status != 401 { failures.append("\(route) unknown key: \(unknown.status)") }
            for role in Role.allCases {
                for scope in AuthorizationMatrixTests.Scope.allCases {
                    let tag = "\(role.rawValue)-\(scope.rawValue)".lowercased()
                    let response = try client.send(
                        route.method, route.path, authorization: "Bearer \(role.rawValue)-\(scope.rawValue)-key",
                        body: Self.body(for: route, tag: tag))
                    let expected = AuthorizationMatrixTests.expectedStatus(route, role, scope)
                    if expected == 403 {
                        if response.status != 403 || !response.body.contains("\"forbidden\"") {
                            failures.append("\(route) as \(role) \(scope): expected 403 forbidden, got \(response.status) \(response.body.prefix(120))")
                        }
                    } else if [401, 403].contains(response.status) || response.status == 500 {
                        failures.append("\(route) as \(role) \(scope): expected to pass authorization, got \(response.status) \(response.body.prefix(120))")
                    }
                }
            }
        }
        await app.shutdown()
        #expect(failures.isEmpty, "\(failures.count) mismatches:\n\(failures.joined(separator: "\n"))")
    }

    @Test func withoutKeysV1RefusesWith503AndProbesStillAnswer() async throws {
        let app = try await Self.startApp(store: .empty)
        let client = MatrixHTTPClient(port: app.port)
        let refused = try client.send("GET", "/v1/segments", authorization: "Bearer dev-admin-key")
        let health = try client.send("GET", "/healthz", authorization: nil)
        await app.shutdown()
        #expect(refused.status == 503)
        #expect(refused.body.contains("no_api_keys"))
        #expect(refused.head.lowercased().contains("\r\nretry-after: 30\r\n"), "\(refused.head)")
        #expect(health.status == 200)
    }
}


/// A minimal blocking HTTP/1.1 client over a real loopback socket: sends one request with
/// `Connection: close` and reads the response head (enough for status and headers, also for
/// a never-ending event stream).
struct MatrixHTTPClient {
    struct Response {
        var status: Int
        var head: String
        var body: String
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let port: Int

    func send(_ method: String, _ path: String, authorization: String?, body: String? = nil) throws -> Response {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket") }
        defer { close(fd) }
        // A safety bound only: a hung server fails the test instead of hanging it.
        var limit = timeval(tv_sec: 30, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = UInt32(0x7f00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw Failure(description: "connect to \(port) failed") }
        var request = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        if let authorization { request += "Authorization: \(authorization)\r\n" }
        if let body {
            request += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            request += "\r\n"
        }
        let bytes = Array(request.utf8)
        var sent = 0
        while sent < bytes.count {
            let written = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw Failure(description: "send failed") }
            sent += written
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let terminator: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        var contentLength: Int?
        while received.count < 1 << 20 {
            if headEnd == nil, let end = received.firstRange(of: terminator)?.upperBound {
                headEnd = end
                let head = String(decoding: received[..<end], as: UTF8.self).lowercased()
                if let line = head.split(separator: "\r\n").first(where: { $0.hasPrefix("content-length:") }) {
                    contentLength = Int(line.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces))
                }
                if head.contains("text/event-stream") { break }
            }
            if let headEnd, let contentLength, received.count >= headEnd + contentLength { break }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        let end = headEnd ?? received.count
        let head = String(decoding: received[..<end], as: UTF8.self)
        let parts = head.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, let status = Int(parts[1]) else { throw Failure(description: "no status line: \(head.prefix(100))") }
        return Response(status: status, head: head, body: String(decoding: received[end...], as: UTF8.self))
    }
}
