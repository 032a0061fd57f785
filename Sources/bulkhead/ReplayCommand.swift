import ArgumentParser
import BulkheadService
import Journal
import RiskEngine

/// `bulkhead replay`: rebuild segments from the journal (no clock, no network) and print each
/// one's state hash and summary: the same journal always gives the same hashes.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Rebuild segments from <data>/journal.sqlite and print their state hash and summary."
    )

    @Option(help: "Data folder holding journal.sqlite.")
    var data = "./data"

    @Option(help: "Stop after this journal sequence (per segment).")
    var until: UInt64?

    @Option(help: "Only this segment.")
    var segment: String?

    @Option(help: "Config folder (its segments.json supplies specs the journal predates).")
    var config: String?

    func run() throws {
        let journal: SQLiteJournal
        do {
            journal = try SQLiteJournal(path: data + "/journal.sqlite")
        } catch {
            throw Failure("journal \(data)/journal.sqlite: \(error.message)")
        }
        defer { journal.close() }
        var specs: [SegmentSpec] = []
        if let config {
            do {
                specs = try SegmentCatalog.load(path: config + "/segments.json")
            } catch {
                throw Failure("configuration: \(error.description)")
            }
        }
        let recovery = JournalRecovery(journal: journal)
        let recovered: [RestoredSegment]
        do {
            if let segment {
                recovered = [try recovery.replay.restore(segment: segment, configured: specs.first { $0.id == segment }, through: until)]
            } else {
                recovered = try recovery.recoverAll(configured: specs, through: until).segments
            }
        } catch {
            throw Failure("replay: \(error.description)")
        }
        for item in recovered {
            print(ReplaySummary.line(for: item))
        }
    }
}
