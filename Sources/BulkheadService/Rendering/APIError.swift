import HTTPServer
import HTTPWire
import RiskEngine

/// An error answer: `{"error":{"code":…,"message":…}}` with its status and any extra headers
/// (`Allow`, `Retry-After`). Every code the service returns is built here, so the list of
/// codes per status lives in one place.
public struct APIError: Error, Sendable, Equatable {
    public var status: Int
    public var code: String
    public var message: String
    public var headers: [HTTPField]

    public init(status: Int, code: String, message: String, headers: [HTTPField] = []) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public static func == (lhs: APIError, rhs: APIError) -> Bool {
        lhs.status == rhs.status && lhs.code == rhs.code && lhs.message == rhs.message
    }

    /// The JSON body.
    public var body: [UInt8] {
        ErrorDocument.json(code: code, message: message)
    }

    // MARK: 400

    static func invalidJSON(_ message: String) -> APIError { APIError(status: 400, code: "invalid_json", message: message) }
    static func missingField(_ field: String) -> APIError {
        APIError(status: 400, code: "missing_field", message: "field '\(field)' is required")
    }
    static func invalidField(_ field: String, _ message: String) -> APIError {
        APIError(status: 400, code: "invalid_field", message: "field '\(field)': \(message)")
    }
    static func invalidAmount(_ field: String, _ message: String) -> APIError {
        APIError(status: 400, code: "invalid_amount", message: "field '\(field)': \(message)")
    }
    static func invalidIdentifier(_ field: String) -> APIError {
        APIError(status: 400, code: "invalid_identifier", message: "field '\(field)' must be 1–64 characters of [A-Za-z0-9._-]")
    }
    static func invalidTimestamp(_ field: String) -> APIError {
        APIError(status: 400, code: "invalid_timestamp", message: "field '\(field)' must be an RFC 3339 UTC timestamp such as 2026-11-24T17:00:00Z")
    }
    static func invalidQuery(_ parameter: String, _ message: String) -> APIError {
        APIError(status: 400, code: "invalid_query", message: "query parameter '\(parameter)': \(message)")
    }
    static func invalidPath(_ path: Substring) -> APIError {
        APIError(status: 400, code: "invalid_path", message: "the path '\(path.prefix(200))' has an invalid percent-encoding")
    }
    static func invalidHeader(_ name: String, _ message: String) -> APIError {
        APIError(status: 400, code: "invalid_header", message: "header '\(name)': \(message)")
    }

    // MARK: 404, 405, 409, 413, 415

    static func unknownSegment(_ id: String) -> APIError {
        APIError(status: 404, code: "unknown_segment", message: "segment '\(id)' does not exist")
    }
    static func unknownAccount(_ id: String, segment: String) -> APIError {
        APIError(status: 404, code: "unknown_account", message: "account '\(id)' does not exist in segment '\(segment)'")
    }
    static func notFound(_ path: Substring) -> APIError {
        APIError(status: 404, code: "not_found", message: "no route for '\(path)'")
    }
    static func methodNotAllowed(_ method: String, allowed: [String]) -> APIError {
        APIError(
            status: 405, code: "method_not_allowed", message: "method \(method) is not allowed here; allowed: \(allowed.joined(separator: ", "))",
            headers: [HTTPField("Allow", allowed.joined(separator: ", "))])
    }
    static func segmentExists(_ id: String) -> APIError {
        APIError(status: 409, code: "segment_exists", message: "segment '\(id)' already exists")
    }
    static func payloadTooLarge(_ message: String) -> APIError {
        APIError(status: 413, code: "body_too_large", message: message)
    }
    static func unsupportedMediaType(_ type: String) -> APIError {
        APIError(status: 415, code: "unsupported_media_type", message: "Content-Type '\(type)' is not supported; send application/json")
    }

    // MARK: 422

    static func invalidSpec(_ error: SpecError) -> APIError {
        APIError(status: 422, code: "invalid_spec", message: "\(error.field): \(error.message)")
    }
    static let idempotencyKeyReused = APIError(
        status: 422, code: "idempotency_key_reused",
        message: "this Idempotency-Key was already used with a different request")

    static func engine(_ error: EngineError) -> APIError {
        let status = switch error.kind {
        case .invalid: 422
        case .notFound: 404
        case .conflict: 409
        }
        return APIError(status: status, code: error.code, message: error.message)
    }

    // MARK: Bridges and transfers (#12)

    static func unknownBridge(_ key: BridgeKey) -> APIError {
        APIError(status: 404, code: "unknown_bridge", message: "no bridge from '\(key.from)' to '\(key.to)' for '\(key.asset)'")
    }
    static func unknownTransfer(_ id: String) -> APIError {
        APIError(status: 404, code: "unknown_transfer", message: "transfer '\(id.prefix(64))' does not exist")
    }
    static func invalidBridge(_ error: SpecError) -> APIError {
        APIError(status: 422, code: "invalid_bridge", message: "field '\(error.field)': \(error.message)")
    }
    static func sameSegment() -> APIError {
        APIError(status: 422, code: "invalid_transfer", message: "field 'to': a transfer needs two different segments")
    }

    /// An overload or availability refusal: the client may repeat the request after `seconds`.
    static func retryLater(_ status: Int, _ code: String, _ message: String, after seconds: Int) -> APIError {
        APIError(status: status, code: code, message: message, headers: [HTTPField("Retry-After", String(seconds))])
    }

    // MARK: Cluster (issue 15)

    /// Another instance serves the segment: the client repeats the request there.
    static func segmentMoved(_ id: String, owner: String, location: String) -> APIError {
        APIError(
            status: 307, code: "segment_moved", message: "segment '\(id)' is served by instance '\(owner)'",
            headers: [HTTPField("Location", location), HTTPField("Bulkhead-Owner", owner)])
    }
    /// No instance serves the segment yet (its owner's lease ran out, or it is being loaded),
    /// or this instance lost it while the request was in flight (nothing was applied).
    static func segmentUnavailable(_ id: String, retryAfter: Int) -> APIError {
        retryLater(503, "segment_unavailable", "segment '\(id)' has no live owner right now", after: retryAfter)
    }

    /// A write refused by the database because another instance took the segment over.
    static func segmentFenced(_ message: String, retryAfter: Int) -> APIError {
        retryLater(503, "segment_unavailable", "nothing was applied: \(message); retry", after: retryAfter)
    }

    /// Cluster: the transfer was accepted and debited, but its other end's owner has not
    /// finished it within `cluster.transferWaitMillis`; it will (GET the id to follow it).
    static func transferPending(_ id: String, retryAfter: Int) -> APIError {
        retryLater(
            503, "transfer_pending",
            "transfer \(id) is accepted and pending: the destination's owner has not credited it yet; GET /v1/transfers/\(id) follows it",
            after: retryAfter)
    }

    /// Cluster: another instance changed the bridge book at the same moment; nothing was applied.
    static func bridgeBookBusy(retryAfter: Int) -> APIError {
        retryLater(503, "bridge_busy", "another instance changed the bridge book at the same moment; nothing was applied; retry", after: retryAfter)
    }

    // MARK: 429

    /// A request quota (#17): the same code as the transport's per-address limit.
    static func rateLimited(_ message: String, retryAfter: Int) -> APIError {
        retryLater(429, "rate_limited", message, after: retryAfter)
    }

    // MARK: 5xx

    static func segmentBusy(_ id: String, retryAfter: Int) -> APIError {
        retryLater(503, "segment_busy", "segment '\(id)' has too many requests in flight", after: retryAfter)
    }
    static func journalUnavailable(_ message: String, retryAfter: Int) -> APIError {
        retryLater(503, "journal_unavailable", "the journal cannot store changes: \(message)", after: retryAfter)
    }
    /// `events.maxSubscribers` streams are open (API.md "Events").
    static func tooManySubscribers(_ limit: Int, retryAfter: Int) -> APIError {
        retryLater(503, "too_many_subscribers", "at most \(limit) event streams may be open at once", after: retryAfter)
    }
    static func notReady(_ state: String, retryAfter: Int) -> APIError {
        retryLater(503, "not_ready", "the service is \(state)", after: retryAfter)
    }
    static func internalError(_ message: String) -> APIError {
        APIError(status: 500, code: "internal_error", message: message)
    }
}
