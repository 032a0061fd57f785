import RiskEngine

/// Start-up recovery of every segment: those the journal knows plus those configured.
public struct JournalRecovery: Sendable {
    public var replay: SegmentReplay

    public init(replay: SegmentReplay) {
        self.replay = replay
    }

    public struct Report: Sendable, Equatable {
        public var segments: Int
        public var snapshotsRestored: Int
        /// Journal entries applied on top of snapshots (or from the start).
        public var recordsReplayed: Int
        /// Wall time of the recovery (monotonic clock, an observation only).
        public var duration: Duration
    }

    /// Rebuilds every segment, sorted by id. Throws at the first segment that fails.
    public func recoverAll(
        configured: [SegmentSpec], through: UInt64? = nil, progress: ((ReplayProgress) -> Void)? = nil
    ) throws(SegmentReplayError) -> (segments: [RestoredSegment], report: Report) {
        let clock = ContinuousClock()
        let started = clock.now
        var byID: [String: SegmentSpec] = [:]
        for spec in configured { byID[spec.id] = spec }
        var ids = Set(byID.keys)
        do { ids.formUnion(try replay.journal.segmentIDs().filter { !JournalStream.isReserved($0) }) } catch {
            throw SegmentReplayError(segment: "*", sequence: nil, message: "cannot list the journal's segments: \(error.message)")
        }
        var restored: [RestoredSegment] = []
        for id in ids.sorted() {
            restored.append(try replay.restore(segment: id, configured: byID[id], through: through, progress: progress))
        }
        let report = Report(
            segments: restored.count,
            snapshotsRestored: restored.filter { $0.snapshotSequence != nil }.count,
            recordsReplayed: restored.reduce(0) { $0 + $1.replayed },
            duration: clock.now - started)
        return (restored, report)
    }
}
