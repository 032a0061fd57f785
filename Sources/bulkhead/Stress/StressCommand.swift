import ArgumentParser
import BulkheadService
import Journal
import RiskEngine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `bulkhead stress`: run scenarios offline on a recovered data folder or a generated book,
/// segmented and monolithic side by side (RISK.md "Stress and contagion").
struct StressCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress",
        abstract: "Run stress scenarios on a copy of a book: segmented vs monolithic, as a table, JSON or an SVG chart.",
        discussion: """
            The book is either recovered from a data folder (--data, read only) or generated
            (--book generated:ACCOUNTS:SEGMENTS:SEED, the same book for the same arguments).
            Repeat --scenario to run several files (e.g. Config/scenarios/*.json) on one book.
            """
    )

    @Option(name: .long, help: "Scenario file (JSON, as the body of POST /v1/stress). Repeatable.")
    var scenario: [String]

    @Option(help: "Data folder holding journal.sqlite (the book is recovered from it, read only).")
    var data: String?

    @Option(help: "Config folder (its segments.json supplies specs the journal predates); with --data.")
    var config: String?

    @Option(help: "A generated book: generated:ACCOUNTS:SEGMENTS:SEED.")
    var book: String?

    @Flag(help: "Print the JSON report (an array when several scenarios run) instead of the table.")
    var json = false

    @Option(help: "Write an SVG chart of segmented vs monolithic to this file.")
    var svg: String?

    @Option(help: "At most this many path steps per scenario (stress.maxSteps).")
    var maxSteps = StressLimits().maxSteps

    @Option(help: "At most this many positions in the book (stress.maxPositions).")
    var maxPositions = 10_000_000

    func validate() throws {
        guard (data == nil) != (book == nil) else { throw ValidationError("give exactly one of --data DIR or --book generated:ACCOUNTS:SEGMENTS:SEED") }
        if let book, StressBookGenerator(book: book) == nil {
            throw ValidationError("--book must be generated:ACCOUNTS:SEGMENTS:SEED (1 ≤ ACCOUNTS ≤ 10000000, 1 ≤ SEGMENTS ≤ \(StressBookGenerator.maxSegments))")
        }
        guard !scenario.isEmpty else { throw ValidationError("give at least one --scenario FILE") }
    }

    func run() throws {
        let clock = ContinuousClock()
        let baseline = ProcessMemory.read("VmRSS")
        let scenarios = try scenario.map { path throws -> (String, StressRequest) in (path, try Self.load(path)) }
        let loadStart = clock.now
        let segments = try loadBook()
        ProcessMemory.resetPeak()
        let bookMemory = ProcessMemory.read("VmRSS") - baseline
        note("book: \(segments.count) segments, \(segments.reduce(0) { $0 + $1.positionCount }) positions, loaded in \(clock.now - loadStart), state ≈ \(bookMemory >> 20) MiB")

        var entries: [StressChart.Entry] = []
        var output = JSONWriter(capacity: 4096)
        if scenarios.count > 1 { output.beginArray() }
        for (path, decoded) in scenarios {
            let name = decoded.name ?? path
            var bar = StressProgressBar(label: String(name.prefix(40)))
            let start = clock.now
            let report: StressReport
            do {
                report = try StressRunner.run(
                    book: segments, scenario: decoded.scenario, limits: StressLimits(maxSteps: maxSteps, maxPositions: maxPositions),
                    progress: { done, total in bar.update(done: done, total: total) })
            } catch {
                throw Failure("\(path): {\"error\":{\"code\":\"\(error.code)\",\"message\":\"\(error.message)\"}}")
            }
            let peak = ProcessMemory.read("VmHWM") - baseline
            note("\(name): ran in \(clock.now - start); peak resident \(peak >> 20) MiB (\(ratio(peak, bookMemory)) × the book's)")
            entries.append(StressChart.Entry(name: name, report: report))
            if json {
                if scenarios.count > 1 {
                    output.beginObject()
                    output.key("scenario"); output.string(name)
                    output.key("file"); output.string(path)
                    output.key("report"); report.writeJSON(to: &output)
                    output.endObject()
                } else {
                    report.writeJSON(to: &output)
                }
            } else {
                print(StressTable.render(report, title: "== \(name)" + (decoded.source.map { "\n   source: \($0)" } ?? "")))
            }
        }
        if scenarios.count > 1 { output.endArray() }
        if json { print(String(decoding: output.bytes, as: UTF8.self)) }
        if let svg { try writeFile(svg, StressChart.render(entries)) }
    }

    static func load(_ path: String) throws -> StressRequest {
        guard let bytes = readFile(path) else { throw Failure("\(path): cannot read the scenario file") }
        do {
            return try StressRequest(json: try JSONReader.parse(bytes))
        } catch let error as JSONReadError {
            throw Failure("\(path): invalid JSON: \(error.message)")
        } catch let error as StressRequest.Failure {
            throw Failure("\(path): \(error.code): \(error.message)")
        }
    }

    func loadBook() throws -> [Segment] {
        if let book, let generator = StressBookGenerator(book: book) { return generator.generate() }
        let folder = data ?? "./data"
        let journal: SQLiteJournal
        do {
            journal = try SQLiteJournal(path: folder + "/journal.sqlite")
        } catch {
            throw Failure("journal \(folder)/journal.sqlite: \(error.message)")
        }
        defer { journal.close() }
        var specs: [SegmentSpec] = []
        if let config {
            do { specs = try SegmentCatalog.load(path: config + "/segments.json") } catch { throw Failure("configuration: \(error.description)") }
        }
        do {
            return try JournalRecovery(journal: journal).recoverAll(configured: specs).segments.map(\.segment)
        } catch {
            throw Failure("recovery: \(error.description)")
        }
    }

    func ratio(_ a: Int, _ b: Int) -> String {
        guard b > 0 else { return "?" }
        let tenths = a * 10 / b
        return "\(tenths / 10).\(tenths % 10)"
    }

    func note(_ text: String) { writeStandardError(text + "\n") }

    static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0..<n])
            if bytes.count > 16 << 20 { return nil }  // a scenario file is small
        }
        return bytes
    }

    func writeFile(_ path: String, _ text: String) throws {
        guard let file = fopen(path, "wb") else { throw Failure("cannot write \(path)") }
        defer { fclose(file) }
        var bytes = Array(text.utf8)
        guard bytes.withUnsafeMutableBytes({ fwrite($0.baseAddress, 1, $0.count, file) }) == bytes.count else { throw Failure("cannot write \(path)") }
    }
}
