import Journal
import RiskEngine

/// A segment rebuilt from its latest snapshot plus the journal entries after it.
public struct RecoveredSegment: Sendable {
    public var segment: Segment
    /// The last journal sequence applied.
    public var lastSequence: UInt64
    /// Whether the journal holds the segment's creation (else it must be journaled now).
    public var isJournaled: Bool
}

/// Why a segment could not be rebuilt; the start fails with this message.
public struct RecoveryError: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Rebuilds segments from the journal. Replay never reads the clock: every command carries
/// the arrival time journaled with it.
public struct SegmentLoader: Sendable {
    public var journal: any JournalStore
    public var batchSize = 1_000

    public init(journal: any JournalStore) {
        self.journal = journal
    }

    /// Every segment of the journal, plus configured ones it does not know yet, sorted by id.
    public func recoverAll(configured: [SegmentSpec], until: UInt64? = nil) throws(RecoveryError) -> [RecoveredSegment] {
        var ids = Set(configured.map(\.id))
        do {
            ids.formUnion(try journal.segmentIDs())
        } catch {
            throw RecoveryError(description: "cannot read the journal: \(error.message)")
        }
        var recovered: [RecoveredSegment] = []
        for id in ids.sorted() {
            recovered.append(try recover(id: id, configured: configured.first { $0.id == id }, until: until))
        }
        return recovered
    }

    public func recover(id: String, configured: SegmentSpec?, until: UInt64? = nil) throws(RecoveryError) -> RecoveredSegment {
        do {
            var segment: Segment?
            var last: UInt64 = 0
            if let snapshot = try journal.latestSnapshot(segment: id), until.map({ snapshot.sequence <= $0 }) ?? true {
                do {
                    segment = try Segment(snapshot: snapshot.bytes)
                } catch {
                    throw RecoveryError(description: "segment '\(id)': snapshot at \(snapshot.sequence) is unreadable: \(error.message)")
                }
                last = snapshot.sequence
            }
            var journaled = segment != nil
            reading: while true {
                let entries = try journal.entries(segment: id, after: last, limit: batchSize)
                for entry in entries {
                    if let until, entry.sequence > until { break reading }
                    try apply(entry, to: &segment, journaled: &journaled)
                    last = entry.sequence
                }
                if entries.count < batchSize { break }
            }
            if segment == nil {
                guard let configured else {
                    throw RecoveryError(description: "segment '\(id)': the journal has no creation record for it")
                }
                do {
                    segment = try Segment(spec: configured)
                } catch {
                    throw RecoveryError(description: "segment '\(id)': invalid spec: \(error.field): \(error.message)")
                }
            }
            return RecoveredSegment(segment: segment!, lastSequence: last, isJournaled: journaled)
        } catch let error as RecoveryError {
            throw error
        } catch let error as JournalError {
            throw RecoveryError(description: "segment '\(id)': cannot read the journal: \(error.message)")
        } catch {
            throw RecoveryError(description: "segment '\(id)': \(error)")
        }
    }

    private func apply(_ entry: JournalEntry, to segment: inout Segment?, journaled: inout Bool) throws(RecoveryError) {
        switch ServiceEntryKind(rawValue: entry.kind) {
        case .segmentCreated:
            journaled = true
            guard segment == nil else { return }
            do {
                let spec = try SegmentSpec(json: try JSONReader.parse(entry.payload))
                segment = try Segment(spec: spec)
            } catch {
                throw RecoveryError(description: "segment '\(entry.segment)': creation record \(entry.sequence) is unreadable: \(error)")
            }
        case .command:
            guard segment != nil else {
                throw RecoveryError(description: "segment '\(entry.segment)': command \(entry.sequence) precedes its creation")
            }
            do {
                try segment!.apply(try EngineCommand(decoding: entry.payload))
            } catch {
                throw RecoveryError(description: "segment '\(entry.segment)': command \(entry.sequence) does not replay: \(error.message)")
            }
        case nil:
            throw RecoveryError(description: "segment '\(entry.segment)': entry \(entry.sequence) has unknown kind \(entry.kind)")
        }
    }
}
