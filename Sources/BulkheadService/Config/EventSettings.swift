/// Settings of the event stream and bounded price answers (issue 18, API.md "Events",
/// "Prices"); each with a safe default.
public struct EventSettings: Sendable, Hashable {
    /// Seconds between `: keep-alive` comments on an idle stream.
    public var heartbeatSeconds = 15.0
    /// Events one subscriber may have queued; a subscriber that falls further behind is
    /// disconnected (it resumes with `Last-Event-ID`).
    public var subscriberQueue = 1_024
    /// Open streams across all segments; beyond, 503 with Retry-After.
    public var maxSubscribers = 2_048
    /// Events kept per segment for `Last-Event-ID` resumes; older ones answer `reset`.
    public var retention = 100_000
    /// Liquidation decisions one `POST …/prices` answer carries; the rest via the cursor.
    public var maxDecisionsInResponse = 1_000

    public init() {}
}
