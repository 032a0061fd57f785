import Journal
import RiskEngine

/// A request for one segment, decoded and validated, ready for its actor.
enum SegmentCommand: Sendable {
    case fill(FillRequest)
    case check(FillRequest)
    case collateral(CollateralRequest)
    case prices(PriceRequest)

    /// Which command a route carries (declared by the route table, decoded by the handler).
    enum Kind: Sendable {
        case fill, check, collateral, prices
    }

    /// Whether the command changes state (and so is journaled and needs a healthy journal).
    var isMutating: Bool {
        if case .check = self { return false }
        return true
    }
}

/// What a segment's actor decided, in the domain's own terms: the responder renders it.
enum SegmentOutcome: Sendable {
    case fill(FillOutcome)
    case check(FillOutcome)
    case collateral(CollateralOutcome)
    case prices(PriceOutcome)
    /// A new segment (`POST /v1/segments`), as first seen.
    case created(SegmentView)
}

/// An outcome and, for a change, the ticket the caller awaits outside the actor before
/// replying (so concurrent requests share one group commit).
struct StagedOutcome: Sendable {
    var outcome: SegmentOutcome
    var ticket: (any CommitTicket)?
    /// The answer's bytes when they were rendered inside the actor: only for a request with
    /// an `Idempotency-Key`, whose stored answer joins the same journal batch as the change.
    var rendered: [UInt8]?
}

/// Why a segment (or the registry) refused a command, in the domain's terms; `APIError`
/// maps each case to its status and code.
enum SegmentFailure: Error, Sendable {
    /// The engine refused the command (unknown market, invalid value, …): nothing changed.
    case rejected(EngineError)
    /// The journal failed earlier: changes are refused until a restart.
    case journalDegraded(String)
    case segmentExists(String)
    case segmentLimit(Int)
    case invalidSpec(SpecError)
}
