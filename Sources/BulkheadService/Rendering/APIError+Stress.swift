import HTTPWire
import RiskEngine

/// The answers of `POST /v1/stress` (#13, API.md "Stress").
extension APIError {
    /// A body that is not a scenario's shape (a field's type, a change that is not a decimal
    /// string): 400 with the decoder's code (`invalid_field`, `missing_field`, `invalid_amount`).
    static func stressRequest(_ failure: StressRequest.Failure) -> APIError {
        APIError(status: 400, code: failure.code, message: failure.message)
    }

    /// The engine's refusal: a well-formed but invalid scenario or a book past
    /// `stress.maxSteps` / `stress.maxPositions` (422), a run past `stress.timeoutSeconds` (503).
    static func stress(_ error: StressError, timeoutSeconds: Double, retryAfter: Int) -> APIError {
        switch error.kind {
        case .invalid: APIError(status: 422, code: error.code, message: error.message)
        case .unknownSegment: APIError(status: 404, code: error.code, message: error.message)
        case .cancelled:
            APIError(
                status: 503, code: error.code, message: "the run passed stress.timeoutSeconds (\(timeoutSeconds) s); nothing changed",
                headers: [HTTPField("Retry-After", String(retryAfter))])
        }
    }

    /// `stress.maxConcurrent` runs are in progress.
    static func stressBusy(_ limit: Int, retryAfter: Int) -> APIError {
        APIError(
            status: 503, code: "stress_busy", message: "\(limit) stress run(s) already in progress (stress.maxConcurrent); retry later",
            headers: [HTTPField("Retry-After", String(retryAfter))])
    }
}
