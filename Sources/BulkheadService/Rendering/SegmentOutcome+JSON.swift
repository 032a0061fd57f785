import RiskEngine

/// The one place a segment's outcome becomes an HTTP answer.
extension SegmentOutcome {
    var status: Int {
        if case .created = self { return 201 }
        return 200
    }

    var jsonBytes: [UInt8] {
        switch self {
        case .fill(let outcome), .check(let outcome): outcome.jsonBytes
        case .collateral(let outcome): outcome.jsonBytes
        case .prices(let outcome): outcome.jsonBytes
        case .created(let view): view.jsonBytes
        }
    }

    var reply: Reply { Reply(status: status, body: jsonBytes) }
}

extension APIError {
    init(_ failure: SegmentFailure) {
        switch failure {
        case .rejected(let error): self = .engine(error)
        case .journalDegraded(let reason): self = .journalUnavailable(reason, retryAfter: 30)
        case .segmentExists(let id): self = .segmentExists(id)
        case .segmentLimit(let limit):
            self = APIError(status: 422, code: "segment_limit", message: "at most \(limit) segments are supported")
        case .invalidSpec(let error): self = .invalidSpec(error)
        }
    }
}
