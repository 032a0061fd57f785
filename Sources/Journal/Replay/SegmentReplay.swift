import RiskEngine

/// Rebuilds one segment: the latest snapshot (its state hash verified), then every later
/// entry in sequence order through `Segment.apply(_:)`. Sequences must be contiguous from the
/// snapshot (or from 1); a gap, an unknown kind, a command the engine refuses or a hash that
/// does not match fails loudly. Replay reads no clock: commands carry their arrival times.
public struct SegmentReplay: Sendable {
    public var journal: any JournalStore
    /// Decodes a `segmentCreated` payload (the service's JSON for a `SegmentSpec`).
    public var decodeSpec: @Sendable ([UInt8]) throws -> SegmentSpec
    /// Entries read per query.
    public var pageSize: Int
    /// Liquidation decisions a restored segment keeps in memory (`liquidations.retention`),
    /// applied while replaying so a restart keeps as many as the running service did.
    public var liquidationRetention = Segment.defaultLiquidationRetention

    public init(journal: any JournalStore, pageSize: Int = 1_000, decodeSpec: @escaping @Sendable ([UInt8]) throws -> SegmentSpec) {
        self.journal = journal
        self.pageSize = max(1, pageSize)
        self.decodeSpec = decodeSpec
    }

    /// - Parameters:
    ///   - configured: the spec from configuration, used only when the journal holds neither
    ///     a snapshot nor a creation entry (the journal wins over the config file). A history
    ///     that starts with a command (no creation entry) replays on top of it.
    ///   - through: stop after this sequence (for `bulkhead replay --until`); snapshots past
    ///     it are ignored.
    ///   - progress: called after the snapshot and after each page (for a progress bar).
    public func restore(
        segment id: String, configured: SegmentSpec?, through: UInt64? = nil, progress: ((ReplayProgress) -> Void)? = nil
    ) throws(SegmentReplayError) -> RestoredSegment {
        var segment: Segment?
        var last: UInt64 = 0
        var snapshotSequence: UInt64?
        var replayed = 0

        let snapshot: SnapshotRecord?
        do { snapshot = try journal.latestSnapshot(segment: id) } catch { throw fault(id, nil, "cannot read the snapshot: \(error.message)") }
        if let snapshot, through.map({ snapshot.sequence <= $0 }) ?? true {
            let restored: Segment
            do { restored = try Segment(snapshot: snapshot.bytes) } catch {
                throw fault(id, snapshot.sequence, "snapshot is unreadable: \(error.message)")
            }
            // A snapshot of an older format hashed other bytes: its readability is the check.
            guard Segment.snapshotFormat(of: snapshot.bytes) != Segment.currentSnapshotFormat || restored.stateHash == snapshot.stateHash else {
                throw fault(id, snapshot.sequence, "snapshot state hash \(restored.stateHash) differs from the recorded \(snapshot.stateHash)")
            }
            segment = restored
            segment?.retainLiquidations(liquidationRetention)
            last = snapshot.sequence
            snapshotSequence = snapshot.sequence
        }
        var isJournaled = segment != nil
        let start = last
        var target: UInt64?
        if progress != nil {
            target = (try? journal.lastSequence(segment: id)).flatMap { $0 }.map { max($0, start) }
            if let through, let known = target { target = max(min(known, through), start) }
            progress?(ReplayProgress(segment: id, sequence: last, target: target, start: start))
        }

        reading: while true {
            let page: [JournalEntry]
            do { page = try journal.entries(segment: id, after: last, limit: pageSize) } catch {
                throw fault(id, last + 1, "cannot read the journal: \(error.message)")
            }
            for entry in page {
                if let through, entry.sequence > through { break reading }
                guard entry.sequence == last + 1 else {
                    throw fault(id, entry.sequence, "expected sequence \(last + 1): the journal has a gap")
                }
                if segment == nil, entry.kind != JournalKind.segmentCreated {
                    // History without a creation entry: it started from the configured spec.
                    segment = try configuredSegment(id, configured)
                }
                try apply(entry, to: &segment, isJournaled: &isJournaled)
                if segment?.liquidationRetention != liquidationRetention { segment?.retainLiquidations(liquidationRetention) }
                last = entry.sequence
                replayed += 1
            }
            if page.count < pageSize { break }
            progress?(ReplayProgress(segment: id, sequence: last, target: target, start: start))
        }
        if progress != nil, last > start { progress?(ReplayProgress(segment: id, sequence: last, target: target, start: start)) }

        if segment == nil { segment = try configuredSegment(id, configured) }
        return RestoredSegment(segment: segment!, lastSequence: last, snapshotSequence: snapshotSequence, replayed: replayed, isJournaled: isJournaled)
    }

    private func configuredSegment(_ id: String, _ configured: SegmentSpec?) throws(SegmentReplayError) -> Segment {
        guard let configured else {
            throw fault(id, nil, "the journal holds no creation entry or snapshot and the configuration does not define it")
        }
        do { return try Segment(spec: configured) } catch {
            throw fault(id, nil, "invalid configured spec: \(error)")
        }
    }

    private func apply(_ entry: JournalEntry, to segment: inout Segment?, isJournaled: inout Bool) throws(SegmentReplayError) {
        switch entry.kind {
        case JournalKind.segmentCreated:
            guard segment == nil, entry.sequence == 1 else {
                throw fault(entry.segment, entry.sequence, "creation entry after the segment already exists")
            }
            do {
                segment = try Segment(spec: try decodeSpec(entry.payload))
            } catch {
                throw fault(entry.segment, entry.sequence, "creation entry is unreadable: \(error)")
            }
            isJournaled = true
        case JournalKind.engineCommand:
            guard segment != nil else {
                throw fault(entry.segment, entry.sequence, "command precedes the segment's creation")
            }
            do {
                // Only commands the engine accepted are journaled; a refusal now means the
                // state diverged from its history.
                try segment!.apply(try EngineCommand(decoding: entry.payload))
            } catch {
                throw fault(entry.segment, entry.sequence, "command does not replay: \(error.message)")
            }
        default:
            throw fault(entry.segment, entry.sequence, "unsupported entry kind \(entry.kind)")
        }
    }

    private func fault(_ segment: String, _ sequence: UInt64?, _ message: String) -> SegmentReplayError {
        SegmentReplayError(segment: segment, sequence: sequence, message: message)
    }
}
