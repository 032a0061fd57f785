import Journal
import RiskEngine

extension SegmentEngine {
    /// Events for this segment's stream that none of its own commands produced (`bridge_state`,
    /// `transfer`): journaled as one `streamEvents` entry, so they get ids in this stream's
    /// order, survive a restart and replay on a `Last-Event-ID` resume like any other event.
    /// Nil when there is nothing to publish or the journal already failed.
    func publish(_ produced: [SegmentEvent]) -> (ticket: any CommitTicket, sequence: UInt64)? {
        guard !produced.isEmpty else { return nil }
        if case .degraded = state.current { return nil }
        let sequence = lastSequence + 1
        let events = produced.enumerated().map { index, event in event.stored(sequence: sequence, index: index) }
        let ticket = submit(
            kind: JournalKind.streamEvents, payload: [], arrival: clock.now(), status: 200, body: nil, idempotency: nil, events: events)
        hub.stage(events)
        return (ticket, sequence)
    }
}
