import Journal
import RiskEngine

/// A request for one segment, decoded and validated, ready for its actor.
enum SegmentCommand: Sendable {
    case fill(FillRequest)
    case check(FillRequest)
    case collateral(CollateralRequest)
    case prices(PriceRequest)

    /// Whether the command changes state (and so is journaled and needs a healthy journal).
    var isMutating: Bool {
        if case .check = self { return false }
        return true
    }
}

/// What a segment's actor hands back: the answer, and for a change the ticket the caller
/// awaits outside the actor before replying.
struct StagedAnswer: Sendable {
    var status: Int
    var body: [UInt8]
    var ticket: (any CommitTicket)?
}
