import Synchronization

/// The segments this instance holds a lease on, with the epoch of each lease: filled by the
/// lease keeper, read by the journal at submit time (the epoch an append is checked against).
/// A segment missing here is not ours: its appends fail at once as fenced.
public final class SegmentEpochs: Sendable {
    private let state = Mutex<[String: UInt64]>([:])

    public init() {}

    public func epoch(of segment: String) -> UInt64? {
        state.withLock { $0[segment] }
    }

    /// Every held segment and its epoch, sorted by segment.
    public var held: [(segment: String, epoch: UInt64)] {
        state.withLock { $0.map { (segment: $0.key, epoch: $0.value) } }.sorted { $0.segment < $1.segment }
    }

    public func hold(_ segment: String, epoch: UInt64) {
        state.withLock { $0[segment] = epoch }
    }

    /// Forgets `segment` if it is still held at `epoch` (a newer lease of ours stays).
    /// Returns whether it was forgotten now.
    @discardableResult
    public func revoke(_ segment: String, epoch: UInt64) -> Bool {
        state.withLock { held in
            guard held[segment] == epoch else { return false }
            held[segment] = nil
            return true
        }
    }
}
