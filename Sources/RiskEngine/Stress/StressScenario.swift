/// A stress scenario (API.md "Stress"): relative price changes applied at once (`shocks`) or
/// in steps (`path`), on a book of segments, optionally compared with the monolithic twin.
public struct StressScenario: Sendable, Hashable {
    /// Segment ids of the book; `nil`: every segment the caller hands in.
    public var segments: [String]?
    public var shocks: [StressShock]?
    /// Steps in order; each change is relative to the price before that step.
    public var path: [[StressShock]]?
    /// Also run the monolithic twin (`"compare": "monolithic"`).
    public var compareMonolithic: Bool

    public init(segments: [String]? = nil, shocks: [StressShock]? = nil, path: [[StressShock]]? = nil, compareMonolithic: Bool = true) {
        self.segments = segments
        self.shocks = shocks
        self.path = path
        self.compareMonolithic = compareMonolithic
    }

    /// The steps to run: `shocks` is one step.
    public var steps: [[StressShock]] {
        if let shocks { return [shocks] }
        return path ?? []
    }
}

/// One relative change: `market` in `segment`, or in every segment of the book listing it.
public struct StressShock: Sendable, Hashable {
    public var segment: String?
    public var market: String
    /// Relative change, > −1 (−0.43 is a 43% fall, 29 a 30× pump).
    public var change: Amount

    public init(segment: String? = nil, market: String, change: Amount) {
        self.segment = segment
        self.market = market
        self.change = change
    }
}

/// Limits of one run (`stress.*` settings); the defaults are safe for one machine.
public struct StressLimits: Sendable, Hashable {
    public var maxSteps: Int
    public var maxPositions: Int

    public init(maxSteps: Int = 1_000, maxPositions: Int = 2_000_000) {
        self.maxSteps = maxSteps
        self.maxPositions = maxPositions
    }
}

/// Why a scenario was refused or a run stopped. `kind` maps to the HTTP status.
public struct StressError: Error, Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// Well-formed but invalid scenario (422).
        case invalid
        /// A book segment that does not exist (404).
        case unknownSegment
        /// The run was stopped (time limit reached; 503).
        case cancelled
    }

    public var kind: Kind
    /// Stable API code, e.g. `invalid_change`, `too_many_steps`.
    public var code: String
    public var message: String

    public init(_ kind: Kind, code: String, message: String) {
        self.kind = kind
        self.code = code
        self.message = message
    }

    static func invalid(_ code: String, _ message: String) -> StressError { StressError(.invalid, code: code, message: message) }
}
