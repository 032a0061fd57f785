import HTTPServer
import HTTPWire

extension ServiceResponder {
    /// Early shedding (the transport asks on the event loop once a head is parsed, before the
    /// body is read): a segment command whose segment is already at its in-flight budget is
    /// answered 503 `segment_busy` with Retry-After at once, so a flood costs a route match
    /// and one atomic load per request — no body parse, no task, no actor. Nothing is
    /// applied, so a retry with the same Idempotency-Key applies once.
    ///
    /// A check, not a reservation: the gate in `run` stays the exact bound (requests between
    /// this check and `run` may still be refused there, with the same answer).
    public func admit(head: HTTPRequestHead) -> HTTPResponse? {
        guard case .matched(let match) = routes.match(method: head.method, path: head.path),
              case .segmentCommand = match.endpoint.kind,
              let engine = registry.engine(match.parameters[.segment]),
              engine.gate.inFlight >= engine.gate.limit
        else { return nil }
        engine.load.shedAtHead()
        let started = MonotonicClock.nanoseconds()
        let refusal = Reply(error: .segmentBusy(engine.id, retryAfter: settings.busyRetryAfterSeconds))
        return finish(refusal, to: HTTPRequest(head: head, body: []), route: match.endpoint.pattern, started: started)
    }
}
