import HTTPWire
import Journal
import RiskEngine

/// `GET /v1/segments/{segment}/events`: Server-Sent Events (API.md "Events"). A resume replays
/// the journal's event log from `Last-Event-ID` up to the position the live subscription
/// starts at, so the client sees every event once, in order, also across restarts.
extension ServiceResponder {
    /// Events read from the journal per query while catching a resume up.
    static let eventBacklogPage = 512

    func events(_ context: RequestContext) throws(APIError) -> Reply {
        let engine = try engine(context.segment)
        var types: Set<String>?
        for (name, value) in try context.query() where name == "types" {
            for part in value.split(separator: ",") {
                let type = String(part.trimmingSpaces())
                guard SegmentEvent.types.contains(type) else {
                    throw .invalidQuery("types", "'\(type.prefix(64))' is not one of \(SegmentEvent.types.joined(separator: ", "))")
                }
                types = (types ?? []).union([type])
            }
        }
        var resumeAfter: EventPosition?
        if let header = context.request.head.headers.first("Last-Event-ID") {
            let text = Substring(header).trimmingSpaces()
            if !text.isEmpty {
                guard let position = EventPosition(text) else {
                    throw .invalidHeader("Last-Event-ID", "must be an event id such as 1842.1")
                }
                resumeAfter = position
            }
        }
        guard eventSlots.claim() else { throw .tooManySubscribers(eventSlots.limit, retryAfter: 5) }
        guard let (subscriber, livePosition) = engine.hub.subscribe(types: types) else {
            eventSlots.release()
            throw .notReady("draining", retryAfter: 5)
        }
        let hub = engine.hub
        let (filter, resume) = (types, resumeAfter)
        let slots = eventSlots
        let journal = registry.environment.journal
        let segment = engine.id
        let heartbeat = settings.events.heartbeatSeconds
        var reply = Reply(
            status: 200, body: [], contentType: "text/event-stream",
            headers: [HTTPField("Cache-Control", "no-store"), HTTPField("X-Accel-Buffering", "no")])
        reply.stream = { writer in
            let beat = Task {
                while !Task.isCancelled {
                    try await Task.sleep(for: .seconds(heartbeat))
                    hub.heartbeat(subscriber)
                }
            }
            defer {
                beat.cancel()
                hub.unsubscribe(subscriber)
                slots.release()
            }
            try await writer.write(ServerSentEvents.opening)
            if let after = resume, after < livePosition {
                try await Self.replay(
                    segment: segment, after: after, through: livePosition, types: filter, journal: journal, writer: writer)
            }
            while true {
                switch await hub.next(subscriber) {
                case .events(let events):
                    var bytes: [UInt8] = []
                    bytes.reserveCapacity(events.count * 320)
                    for event in events { ServerSentEvents.append(event, to: &bytes) }
                    try await writer.write(bytes)
                case .heartbeat:
                    try await writer.write(ServerSentEvents.keepAlive)
                case .dropped, .closed:
                    return
                }
            }
        }
        return reply
    }

    /// The journaled events in (`after`, `through`], or `reset` when `after` is older than
    /// the retained history.
    private static func replay(
        segment: String, after: EventPosition, through: EventPosition, types: Set<String>?, journal: any JournalStore,
        writer: any HTTPBodyWriter
    ) async throws {
        if let bounds = try? journal.eventBounds(segment: segment), after < bounds.oldest {
            try await writer.write(ServerSentEvents.reset(oldest: bounds.oldest))
            return
        }
        var cursor = after
        while cursor < through {
            let page = try journal.events(segment: segment, after: cursor, through: through, limit: eventBacklogPage)
            guard let last = page.last else { return }
            var bytes: [UInt8] = []
            for event in page where types?.contains(event.type) ?? true { ServerSentEvents.append(event, to: &bytes) }
            if !bytes.isEmpty { try await writer.write(bytes) }
            cursor = last.position
        }
    }
}
