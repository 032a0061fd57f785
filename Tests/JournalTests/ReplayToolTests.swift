import Foundation  // Process: runs the built `bulkhead` binary
import Testing
import RiskEngine
@testable import Journal

/// `bulkhead replay`: progress reporting in the library, the bar's frames, and the built
/// binary run against a real journal file.
@Suite struct ReplayToolTests {
    /// A snapshot at sequence 3, then `tail` deposits journaled after it (sequences 4…).
    private func history(_ journal: SQLiteJournal, tail: Int) async throws -> (live: Segment, atSnapshot: UInt64) {
        var live = try Segment(spec: spec("majors"))
        var sequence: UInt64 = 0
        func deposit(_ index: Int) throws -> JournalEntry {
            let command = EngineCommand.collateral(CollateralCommand(
                account: "acct-\(index % 5)", asset: "USDC", amount: Amount(10 + index), arrival: Timestamp(seconds: 1_800_000_000 + Int64(index))))
            try live.apply(command)
            sequence += 1
            return JournalEntry(segment: "majors", sequence: sequence, arrival: 0, kind: JournalKind.engineCommand, payload: command.encoded())
        }
        for index in 0..<3 { _ = try deposit(index) }
        try await SnapshotWriter(journal: journal).write(segment: "majors", sequence: 3, bytes: live.snapshot(), stateHash: live.stateHash)
        let atSnapshot = live.stateHash
        for index in 3..<(3 + tail) { try await journal.submit([try deposit(index)], idempotency: nil).durable() }
        return (live, atSnapshot)
    }

    @Test func restoreReportsProgressPerPage() async throws {
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        let (live, _) = try await history(journal, tail: 10)
        #expect(try journal.lastSequence(segment: "majors") == 13)
        #expect(try journal.lastSequence(segment: "nobody") == nil)
        var reports: [ReplayProgress] = []
        let replay = SegmentReplay(journal: journal, pageSize: 4) { _ in spec("majors") }
        let restored = try replay.restore(segment: "majors", configured: nil) { reports.append($0) }
        #expect(restored.segment.stateHash == live.stateHash)
        #expect(reports.map(\.sequence) == [3, 7, 11, 13])
        #expect(reports.allSatisfy { $0.target == 13 && $0.start == 3 })
        #expect(reports.map(\.fraction) == [0, 0.4, 0.8, 1])
        // --until caps the target.
        var capped: [ReplayProgress] = []
        _ = try replay.restore(segment: "majors", configured: nil, through: 9) { capped.append($0) }
        #expect(capped.last == ReplayProgress(segment: "majors", sequence: 9, target: 9, start: 3))
    }

    @Test func progressBarFrames() {
        var bar = ReplayProgressBar(width: 10)
        #expect(bar.finish() == nil)
        #expect(bar.frame(for: ReplayProgress(segment: "majors", sequence: 0, target: 200, start: 0)) == "\rmajors [..........]   0% 0/200")
        #expect(bar.frame(for: ReplayProgress(segment: "majors", sequence: 1, target: 200, start: 0)) == nil)  // still 0%
        #expect(bar.frame(for: ReplayProgress(segment: "majors", sequence: 100, target: 200, start: 0)) == "\rmajors [#####.....]  50% 100/200")
        #expect(bar.frame(for: ReplayProgress(segment: "majors", sequence: 200, target: 200, start: 0)) == "\rmajors [##########] 100% 200/200")
        #expect(bar.frame(for: ReplayProgress(segment: "alts", sequence: 5, target: nil, start: 0)) == nil)  // no total, no bar
        #expect(bar.finish() == "\n")
    }

    /// The binary prints one line per segment with the state hash of the live segment, honours
    /// `--until`, keeps stdout clean and draws the bar on stderr only when asked or on a terminal.
    @Test func binaryReplaysAJournal() async throws {
        let binary = try #require(Self.binary, "build the bulkhead executable first")
        let fixture = try JournalFixture()
        let journal = try fixture.open()
        let (live, atSnapshot) = try await history(journal, tail: 6)
        journal.close()
        let data = fixture.directory.path

        let full = try Self.run(binary, ["replay", "--data", data])
        #expect(full.status == 0, "\(full.stderr)")
        #expect(full.stdout.hasPrefix("majors sequence=9 stateHash=\(String(live.stateHash, radix: 16)) {"))
        #expect(full.stderr.isEmpty)  // a pipe is not a terminal: no bar

        let early = try Self.run(binary, ["replay", "--data", data, "--until", "3", "--segment", "majors"])
        #expect(early.stdout.hasPrefix("majors sequence=3 stateHash=\(String(atSnapshot, radix: 16)) "))

        let drawn = try Self.run(binary, ["replay", "--data", data, "--progress", "always"])
        #expect(drawn.stdout == full.stdout)
        #expect(drawn.stderr.hasPrefix("\rmajors [") && drawn.stderr.contains("100% 9/9") && drawn.stderr.hasSuffix("\n"))

        let missing = try Self.run(binary, ["replay", "--data", data + "/nowhere"])
        #expect(missing.status != 0 && missing.stderr.contains("journal"))
    }

    static var binary: URL? {
        let root = String(#filePath.split(separator: "/Tests/", maxSplits: 1)[0])
        let url = URL(fileURLWithPath: root + "/.build/debug/bulkhead")
        return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
    }

    static func run(_ binary: URL, _ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }
}
