import Logging
import Synchronization
import Testing
@testable import BulkheadService

/// Collects log events so tests can read the audit trail.
final class AuthLogCapture: Sendable {
    struct Record: Sendable {
        var level: Logger.Level
        var message: String
        var metadata: Logger.Metadata
    }

    private let storage = Mutex<[Record]>([])

    var records: [Record] { storage.withLock { $0 } }

    var logger: Logger {
        Logger(label: "test.auth") { _ in Handler(capture: self) }
    }

    struct Handler: LogHandler {
        let capture: AuthLogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let record = Record(
                level: event.level, message: event.message.description,
                metadata: metadata.merging(event.metadata ?? [:]) { $1 })
            capture.storage.withLock { $0.append(record) }
        }
    }
}

@Suite("Authorizer: roles, scopes, denials, audit")
struct AuthorizerTests {
    /// One key per role scoped to `majors`, one per role for every segment, one trading key on two segments.
    static let keys: [(key: String, entry: APIKeyEntry)] = {
        var list: [(String, APIKeyEntry)] = []
        for role in Role.allCases {
            let scoped = "scoped-\(role.rawValue)-key"
            list.append((scoped, APIKeyEntry(id: "scoped-\(role.rawValue)", digest: SHA256Digest.sha256(of: scoped), role: role, segments: ["majors"])))
            let global = "global-\(role.rawValue)-key"
            list.append((global, APIKeyEntry(id: "global-\(role.rawValue)", digest: SHA256Digest.sha256(of: global), role: role, segments: nil)))
        }
        list.append(("bridge-key", APIKeyEntry(id: "bridge", digest: SHA256Digest.sha256(of: "bridge-key"), role: .trading, segments: ["majors", "alts"])))
        return list
    }()

    static func authorizer(_ capture: AuthLogCapture = AuthLogCapture()) -> Authorizer {
        Authorizer(store: try! APIKeyStore(entries: keys.map(\.entry)), logger: capture.logger)
    }

    static let permissions: [Permission] = [.admin, .postPrices, .trade, .read, .anyKey]

    static func roleAllows(_ role: Role, _ permission: Permission) -> Bool {
        switch role {
        case .admin: true
        case .oracle: permission == .postPrices
        case .trading: [.trade, .read, .anyKey].contains(permission)
        case .read: [.read, .anyKey].contains(permission)
        }
    }

    @Test(arguments: Role.allCases, permissions)
    func everyRoleAndPermissionInAndOutOfScope(role: Role, permission: Permission) {
        let authorizer = Self.authorizer()
        let scoped = "Bearer scoped-\(role.rawValue)-key"
        let global = "Bearer global-\(role.rawValue)-key"
        let allowed = Self.roleAllows(role, permission)
        let inScope = authorizer.authorize(authorization: scoped, permission: permission, segments: ["majors"])
        let outOfScope = authorizer.authorize(authorization: scoped, permission: permission, segments: ["alts"])
        let everywhere = authorizer.authorize(authorization: global, permission: permission, segments: ["alts"])
        let noSegment = authorizer.authorize(authorization: scoped, permission: permission, segments: [])
        if allowed {
            #expect(inScope == .allowed(Principal(keyID: "scoped-\(role.rawValue)", role: role, segments: ["majors"])))
            #expect(everywhere == .allowed(Principal(keyID: "global-\(role.rawValue)", role: role, segments: nil)))
            #expect(noSegment == .allowed(Principal(keyID: "scoped-\(role.rawValue)", role: role, segments: ["majors"])))
            #expect(Self.status(outOfScope) == 403)
            #expect(Self.code(outOfScope) == "forbidden")
        } else {
            for decision in [inScope, outOfScope, everywhere, noSegment] {
                #expect(Self.status(decision) == 403)
                #expect(Self.code(decision) == "forbidden")
            }
        }
        #expect(Authorizer.role(role, allows: permission) == allowed)
    }

    @Test func aTwoSegmentRequestNeedsBothSegmentsInScope() {
        let authorizer = Self.authorizer()
        #expect(Self.status(authorizer.authorize(authorization: "Bearer bridge-key", permission: .trade, segments: ["majors", "alts"])) == 200)
        #expect(Self.status(authorizer.authorize(authorization: "Bearer bridge-key", permission: .trade, segments: ["alts", "majors"])) == 200)
        #expect(Self.status(authorizer.authorize(authorization: "Bearer scoped-trading-key", permission: .trade, segments: ["majors", "alts"])) == 403)
        #expect(Self.status(authorizer.authorize(authorization: "Bearer scoped-trading-key", permission: .trade, segments: ["alts", "majors"])) == 403)
        #expect(Self.status(authorizer.authorize(authorization: "Bearer bridge-key", permission: .trade, segments: ["majors", "defi"])) == 403)
        #expect(Self.status(authorizer.authorize(authorization: "Bearer global-trading-key", permission: .trade, segments: ["majors", "defi"])) == 200)
        let denied = authorizer.authorize(authorization: "Bearer bridge-key", permission: .trade, segments: ["majors", "defi"])
        #expect(Self.message(denied).contains("'defi'"))
    }

    @Test(arguments: [nil, "", "Bearer", "Bearer ", "bearer x", "Basic ZGV2LWFkbWluLWtleQ==", "Bearer  global-admin-key",
                      "Bearer global-admin-key ", "Bearer global-admin-ke", "Bearer global-admin-keyy", "Bearer GLOBAL-ADMIN-KEY"])
    func missingMalformedOrUnknownKeysAre401WithAChallenge(header: String?) {
        let decision = Self.authorizer().authorize(authorization: header, permission: .read, segments: ["majors"])
        #expect(Self.status(decision) == 401)
        #expect(Self.code(decision) == "unauthorized")
        #expect(decision.responseHeaders.contains { $0.name == "WWW-Authenticate" && $0.value.hasPrefix("Bearer") })
    }

    @Test func forbiddenCarriesInsufficientScopeChallenge() {
        let decision = Self.authorizer().authorize(authorization: "Bearer global-read-key", permission: .trade, segments: [])
        #expect(decision.responseHeaders.map(\.value) == ["Bearer realm=\"bulkhead\", error=\"insufficient_scope\""])
        #expect(AuthDecision.allowed(Principal(keyID: "x", role: .read, segments: nil)).responseHeaders.isEmpty)
    }

    @Test func theMatchingKeyIsFoundWhereverItSitsInTheStore() throws {
        // The lookup never stops early; it must still pick the right entry at any position.
        let authorizer = Self.authorizer()
        for (key, entry) in Self.keys {
            #expect(authorizer.lookup(key) == entry)
        }
        #expect(authorizer.lookup("nobody") == nil)
        let single = Authorizer(store: try APIKeyStore(entries: [Self.keys[0].entry]))
        #expect(single.lookup(Self.keys[0].key) == Self.keys[0].entry)
        #expect(single.lookup(Self.keys[1].key) == nil)
    }

    @Test(arguments: [nil, "Bearer global-admin-key", "Bearer x"])
    func noConfiguredKeysRefusesEveryV1RequestWith503(header: String?) {
        let capture = AuthLogCapture()
        let authorizer = Authorizer(store: .empty, logger: capture.logger)
        let decision = authorizer.authorize(authorization: header, permission: .read, segments: ["majors"])
        #expect(Self.status(decision) == 503)
        #expect(Self.code(decision) == "no_api_keys")
        #expect(Self.message(decision).contains("keys.json"))
        #expect(decision.responseHeaders.contains { $0.name == "Retry-After" })
        // Said once, loudly, at start.
        #expect(capture.records.contains { $0.level == .error && $0.message.contains("no API keys") })
    }

    @Test func deniedRequestsAreAuditedWithKeyIDButNeverTheKey() throws {
        let capture = AuthLogCapture()
        let authorizer = Self.authorizer(capture)
        _ = authorizer.authorize(authorization: "Bearer scoped-oracle-key", permission: .postPrices, segments: ["alts"])
        _ = authorizer.authorize(authorization: "Bearer scoped-read-key", permission: .trade, segments: ["majors"])
        _ = authorizer.authorize(authorization: "Bearer not-a-real-key", permission: .read, segments: ["majors"])
        _ = authorizer.authorize(authorization: nil, permission: .admin, segments: [])
        let records = capture.records
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0.level == .warning && $0.metadata["auth.outcome"] == "denied" })
        #expect(records.map { $0.metadata["auth.key_id"] } == ["scoped-oracle", "scoped-read", "-", "-"])
        #expect(records.map { $0.metadata["auth.status"] } == ["403", "403", "401", "401"])
        #expect(records.map { $0.metadata["auth.permission"] } == ["post_prices", "trade", "read", "admin"])
        #expect(records[0].metadata["auth.segments"] == .array(["alts"]))
        let everything = records.map { "\($0.message) \($0.metadata)" }.joined()
        for secret in ["scoped-oracle-key", "scoped-read-key", "not-a-real-key"] {
            #expect(!everything.contains(secret))
        }
    }

    @Test func allowedAdminActionsAreAuditedReadsAndOtherRolesAreNot() {
        let capture = AuthLogCapture()
        let authorizer = Self.authorizer(capture)
        _ = authorizer.authorize(authorization: "Bearer global-trading-key", permission: .trade, segments: ["majors"])
        _ = authorizer.authorize(authorization: "Bearer global-read-key", permission: .read, segments: ["majors"])
        _ = authorizer.authorize(authorization: "Bearer global-admin-key", permission: .read, segments: ["majors"])
        _ = authorizer.authorize(authorization: "Bearer global-admin-key", permission: .anyKey, segments: [])
        #expect(capture.records.isEmpty)
        _ = authorizer.authorize(authorization: "Bearer global-admin-key", permission: .postPrices, segments: ["majors"])
        #expect(capture.records.last?.metadata["auth.permission"] == "post_prices")
        _ = authorizer.authorize(authorization: "Bearer scoped-admin-key", permission: .admin, segments: ["majors"])
        let records = Array(capture.records.dropFirst())
        #expect(records.count == 1)
        #expect(records.first?.level == .notice)
        #expect(records.first?.metadata["auth.outcome"] == "allowed")
        #expect(records.first?.metadata["auth.key_id"] == "scoped-admin")
        #expect(records.first?.metadata["auth.permission"] == "admin")
    }

    static func status(_ decision: AuthDecision) -> Int {
        switch decision {
        case .allowed: 200
        case .denied(let status, _, _): status
        }
    }

    static func code(_ decision: AuthDecision) -> String? {
        if case .denied(_, let code, _) = decision { return code }
        return nil
    }

    static func message(_ decision: AuthDecision) -> String {
        if case .denied(_, _, let message) = decision { return message }
        return ""
    }
}

@Suite("AuditThrottle: bounded denial logging")
struct AuthAuditThrottleTests {
    /// A settable clock for the throttle's seconds.
    final class Seconds: Sendable {
        let value = Mutex<Int64>(0)
        func set(_ seconds: Int64) { value.withLock { $0 = seconds } }
        func read() -> Int64 { value.withLock { $0 } }
    }

    @Test func linesOverTheLimitAreCountedAndReportedInALaterSecond() {
        let clock = Seconds()
        let capture = AuthLogCapture()
        let authorizer = Authorizer(
            store: try! APIKeyStore(entries: AuthorizerTests.keys.map(\.entry)), logger: capture.logger,
            throttle: AuditThrottle(linesPerSecond: 3, now: { clock.read() }))
        for _ in 0..<10 {
            _ = authorizer.authorize(authorization: "Bearer nope", permission: .read, segments: [])
        }
        #expect(capture.records.count == 3)
        clock.set(1)
        let decision = authorizer.authorize(authorization: "Bearer nope", permission: .read, segments: [])
        #expect(AuthorizerTests.status(decision) == 401)
        #expect(capture.records.count == 4)
        #expect(capture.records.last?.metadata["auth.suppressed_before"] == "7")
        // Allowed admin actions are never throttled.
        for _ in 0..<5 {
            _ = authorizer.authorize(authorization: "Bearer global-admin-key", permission: .admin, segments: [])
        }
        #expect(capture.records.count == 9)
    }
}
