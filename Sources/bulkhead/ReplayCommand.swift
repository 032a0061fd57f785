import ArgumentParser
import BulkheadService
#if canImport(Glibc)
import Glibc
#endif
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

    @Option(help: "Progress bar on stderr: auto (when stderr is a terminal), always or never.")
    var progress: ProgressMode = .auto

    enum ProgressMode: String, ExpressibleByArgument, CaseIterable {
        case auto, always, never
    }

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
        let bar = ProgressOutput(enabled: progress == .always || (progress == .auto && isatty(STDERR_FILENO) != 0))
        defer { bar.finish() }
        do {
            if let segment {
                recovered = [try recovery.replay.restore(
                    segment: segment, configured: specs.first { $0.id == segment }, through: until, progress: bar.report)]
            } else {
                recovered = try recovery.recoverAll(configured: specs, through: until, progress: bar.report).segments
            }
        } catch {
            throw Failure("replay: \(error.description)")
        }
        bar.finish()
        for item in recovered {
            print(ReplaySummary.line(for: item))
        }
    }
}

/// Draws `ReplayProgressBar` frames on stderr (the summary lines stay alone on stdout).
final class ProgressOutput {
    private var bar = ReplayProgressBar()
    private let enabled: Bool
    private var finished = false

    init(enabled: Bool) {
        self.enabled = enabled
    }

    var report: ((ReplayProgress) -> Void)? {
        enabled ? { [self] progress in
            if let frame = bar.frame(for: progress) { Self.writeError(frame) }
        } : nil
    }

    static func writeError(_ text: String) {
        var bytes = Array(text.utf8)
        _ = bytes.withUnsafeMutableBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
    }

    func finish() {
        guard enabled, !finished else { return }
        finished = true
        if let end = bar.finish() { Self.writeError(end) }
    }
}
