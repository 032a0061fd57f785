/// Where a replay stands: reported after each page of entries (never per entry, so a long
/// journal pays nothing for it).
public struct ReplayProgress: Sendable, Equatable {
    public var segment: String
    /// Last sequence applied so far (or restored from the snapshot).
    public var sequence: UInt64
    /// Where this replay will stop: the journal's last sequence (capped by `--until`); `nil`
    /// when the store cannot tell.
    public var target: UInt64?
    /// Where it started (the snapshot's sequence, or 0).
    public var start: UInt64

    public init(segment: String, sequence: UInt64, target: UInt64?, start: UInt64) {
        self.segment = segment
        self.sequence = sequence
        self.target = target
        self.start = start
    }

    /// Done fraction in [0, 1]; `nil` without a target.
    public var fraction: Double? {
        guard let target else { return nil }
        guard target > start else { return 1 }
        return Double(min(sequence, target) - min(start, sequence)) / Double(target - start)
    }
}

/// A one-line text progress bar, redrawn in place with `\r` (the caller decides whether its
/// output is a terminal). Pure, so tests check every frame.
public struct ReplayProgressBar: Sendable {
    public var width: Int
    /// The last percentage drawn: a frame is produced only when it changes.
    private var lastDrawn: Int?
    private var lastSegment: String?

    public init(width: Int = 30) {
        self.width = max(width, 5)
    }

    /// The text to write for this report, or `nil` when nothing visible changed.
    public mutating func frame(for progress: ReplayProgress) -> String? {
        guard let fraction = progress.fraction else { return nil }
        let percent = Int((fraction * 100).rounded(.down))
        guard percent != lastDrawn || progress.segment != lastSegment else { return nil }
        lastDrawn = percent
        lastSegment = progress.segment
        let filled = Int((fraction * Double(width)).rounded(.down))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let target = progress.target ?? progress.sequence
        let percentText = String(percent)
        return "\r\(progress.segment) [\(bar)] \(String(repeating: " ", count: 3 - percentText.count))\(percentText)% \(progress.sequence)/\(target)"
    }

    /// Ends the line so the next output starts clean (`nil` if nothing was drawn).
    public func finish() -> String? {
        lastDrawn == nil ? nil : "\n"
    }
}
