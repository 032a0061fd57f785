import Journal
import RiskEngine

/// A request for one segment, decoded and validated, ready for its actor.
enum SegmentCommand: Sendable {
    case fill(FillRequest)
    case check(FillRequest)
    case collateral(CollateralRequest)
    case prices(PriceRequest)
    // Live control (issue 18): built by the handler with the caller's key id; the actor
    // stamps the arrival time.
    case params(ParamsChangeCommand)
    case mode(ModeFloorCommand)
    case insurance(InsuranceTopUpCommand)

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
    /// `cap`: at most this many decisions in the answer (`prices.maxDecisionsInResponse`).
    case prices(PriceOutcome, cap: Int)
    case params(ParamsOutcome)
    case mode(ModeOutcome)
    case insurance(InsuranceOutcome)
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
    /// The hub to tell once the ticket is durable, with the entry's sequence, when the
    /// change produced events.
    var events: (hub: EventHub, sequence: UInt64)?
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
