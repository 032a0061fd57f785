import RiskEngine
import Synchronization

/// A segment's mode for readers outside its actor: a transfer reads the destination's mode
/// when it builds the debit, `GET /v1/bridges` reads every end's. Written only by the
/// segment's actor after each change, so a reader sees a mode the segment really had.
final class PublishedMode: Sendable {
    private let raw: Atomic<Int>

    init(_ mode: SegmentMode) {
        raw = Atomic(mode.severity)
    }

    var mode: SegmentMode { Self.modes[raw.load(ordering: .acquiring)] }

    /// Stores the mode; returns whether it changed.
    func store(_ mode: SegmentMode) -> Bool {
        raw.exchange(mode.severity, ordering: .acquiringAndReleasing) != mode.severity
    }

    private static let modes = SegmentMode.allCases.sorted()
}
