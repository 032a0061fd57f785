import COpenSSL
import Logging

/// Deny-by-default access control for `/v1` routes (API.md "Conventions", Auth).
///
/// The presented key is SHA-256'd and compared against every stored digest in constant time,
/// without stopping at the first match, so timing tells nothing about which digest (if any)
/// is close. Every 401/403 and every allowed admin action is logged with the key id — never
/// the key.
public struct Authorizer: RequestAuthorizing {
    public let store: APIKeyStore
    private let logger: Logger
    private let throttle: AuditThrottle

    /// `throttle` bounds denial log lines per second (allowed admin actions are always logged).
    public init(
        store: APIKeyStore, logger: Logger = Logger(label: "bulkhead.auth"), throttle: AuditThrottle = AuditThrottle()
    ) {
        self.store = store
        self.logger = logger
        self.throttle = throttle
        if store.isEmpty {
            logger.error("no API keys configured: every /v1 route answers 503 no_api_keys", metadata: [
                "auth.keys_file": .string(store.source),
            ])
        }
    }

    public func authorize(authorization: String?, permission: Permission, segments: [String]) -> AuthDecision {
        guard !store.isEmpty else {
            return .denied(
                status: 503, code: "no_api_keys",
                message: "no API keys are configured (\(store.source)); add entries to keys.json "
                    + "(create one with 'bulkhead keys new') and restart"
            )
        }
        let key: String
        switch BearerCredential.parse(authorization) {
        case .success(let presented):
            key = presented
        case .failure(.missing):
            return deny(401, "unauthorized", "missing Authorization header; send 'Authorization: Bearer <api key>'",
                        keyID: nil, permission: permission, segments: segments)
        case .failure(.malformed(let why)):
            return deny(401, "unauthorized", "malformed Authorization header: \(why)",
                        keyID: nil, permission: permission, segments: segments)
        }
        guard let entry = lookup(key) else {
            return deny(401, "unauthorized", "unknown api key",
                        keyID: nil, permission: permission, segments: segments)
        }
        guard Authorizer.role(entry.role, allows: permission) else {
            return deny(403, "forbidden", "key '\(entry.id)' (role \(entry.role.rawValue)) may not \(permission.action)",
                        keyID: entry.id, permission: permission, segments: segments)
        }
        let principal = entry.principal
        // A request touching several segments (a transfer) needs every one of them in scope.
        if let outside = segments.first(where: { !principal.covers(segment: $0) }) {
            return deny(403, "forbidden", "key '\(entry.id)' is not allowed on segment '\(outside)'",
                        keyID: entry.id, permission: permission, segments: segments)
        }
        // Audited: what only admin may do, and an admin key's writes; its reads are not, so
        // the audit trail stays about changes.
        if entry.role == .admin, permission != .read, permission != .anyKey {
            logger.notice("admin action allowed", metadata: Authorizer.audit(
                outcome: "allowed", status: 200, keyID: entry.id, permission: permission, segments: segments))
        }
        return .allowed(principal)
    }

    /// Role rules: admin everything; oracle prices only; trading trades and reads; read reads.
    public static func role(_ role: Role, allows permission: Permission) -> Bool {
        switch (role, permission) {
        case (.admin, _): true
        case (.oracle, .postPrices): true
        case (.trading, .trade), (.trading, .read), (.trading, .anyKey): true
        case (.read, .read), (.read, .anyKey): true
        default: false
        }
    }

    /// Compares the key's digest with every stored digest; no early exit, branch-free select.
    func lookup(_ key: String) -> APIKeyEntry? {
        let presented = SHA256Digest.sha256(of: key)
        var match = -1
        presented.withUnsafeBytes { candidate in
            for (index, entry) in store.entries.enumerated() {
                let differs = entry.digest.withUnsafeBytes { stored in
                    CRYPTO_memcmp(candidate.baseAddress, stored.baseAddress, SHA256Digest.byteCount)
                }
                // mask is all ones when equal, zero otherwise (CRYPTO_memcmp returns 0 or 1).
                let mask = (Int(differs) &- 1)
                match = (match & ~mask) | (index & mask)
            }
        }
        return match >= 0 ? store.entries[match] : nil
    }

    private func deny(
        _ status: Int, _ code: String, _ message: String,
        keyID: String?, permission: Permission, segments: [String]
    ) -> AuthDecision {
        let (allowed, suppressed) = throttle.admit()
        if allowed {
            var metadata = Authorizer.audit(
                outcome: "denied", status: status, keyID: keyID, permission: permission, segments: segments)
            if suppressed > 0 { metadata["auth.suppressed_before"] = .string(String(suppressed)) }
            logger.warning("request denied: \(message)", metadata: metadata)
        }
        return .denied(status: status, code: code, message: message)
    }

    private static func audit(
        outcome: String, status: Int, keyID: String?, permission: Permission, segments: [String]
    ) -> Logger.Metadata {
        [
            "audit": "auth",
            "auth.outcome": .string(outcome),
            "auth.status": .string(String(status)),
            "auth.key_id": .string(keyID ?? "-"),
            "auth.permission": .string(permission.auditName),
            "auth.segments": .array(segments.map { .string($0) }),
        ]
    }
}
