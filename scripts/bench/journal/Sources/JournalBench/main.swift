import Foundation
import Journal
import RiskEngine

/// Throughput: `batch` single-entry submits are queued, then all awaited, so the writer commits
/// them as one group (one fsync). Recovery: `records` deposit commands are journaled, then
/// rebuilt through `JournalRecovery` (read, decode, apply).
struct Options {
    var records = 1_000_000
    var seconds = 3.0
    var directory = FileManager.default.temporaryDirectory.path

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { break }
            switch flag {
            case "--records": records = Int(value) ?? records
            case "--seconds": seconds = Double(value) ?? seconds
            case "--dir": directory = value
            default: print("unknown option \(flag)"); exit(2)
            }
        }
    }
}

let options = Options(CommandLine.arguments)
let clock = ContinuousClock()

func freshJournal(_ name: String) throws -> (SQLiteJournal, URL) {
    let directory = URL(fileURLWithPath: options.directory).appendingPathComponent("journal-bench-\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let journal = try SQLiteJournal(configuration: .init(path: directory.appendingPathComponent("journal.sqlite").path, maxPendingEntries: 1 << 20))
    return (journal, directory)
}

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func depositPayload(_ index: Int) -> [UInt8] {
    EngineCommand.collateral(CollateralCommand(
        account: "acct-\(index % 1_000)", asset: "USDC", amount: Amount(1 + index % 9),
        arrival: Timestamp(seconds: 1_800_000_000 + Int64(index)))).encoded()
}

func throughput(batch: Int) async throws {
    let (journal, directory) = try freshJournal("batch\(batch)")
    defer { journal.close(); try? FileManager.default.removeItem(at: directory) }
    let payload = depositPayload(1)
    var sequence: UInt64 = 0
    let started = clock.now
    var rows = 0
    while seconds(clock.now - started) < options.seconds {
        var tickets: [any CommitTicket] = []
        tickets.reserveCapacity(batch)
        for _ in 0..<batch {
            sequence += 1
            tickets.append(journal.submit([JournalEntry(segment: "bench", sequence: sequence, arrival: 0, kind: JournalKind.engineCommand, payload: payload)], idempotency: nil))
        }
        for ticket in tickets { try await ticket.durable() }
        rows += batch
    }
    let elapsed = seconds(clock.now - started)
    let metrics = journal.metrics
    print(String(format: "batch %5d: %9.0f rows/s, %6d commits, mean batch %7.1f, mean commit %6.2f ms, max %6.2f ms",
                 batch, Double(rows) / elapsed, metrics.batchesCommitted, metrics.meanBatchSize,
                 Double(metrics.meanCommitNanoseconds) / 1e6, Double(metrics.maxCommitNanoseconds) / 1e6))
}

func spec() -> SegmentSpec {
    SegmentSpec(
        id: "bench", settlementAsset: "USDC",
        collateral: [CollateralSpec(asset: "USDC", weight: 1)],
        markets: [MarketSpec(id: "BTC-USD", initialMarginFraction: Amount("0.05")!, maintenanceMarginFraction: Amount("0.03")!, maxOpenInterest: 1_000)],
        oracle: OracleSpec(maxAgeSeconds: 30, liquidationMaxAgeSeconds: 300, maxFutureSkewSeconds: 5, maxJump: Amount("0.25")!, minSources: 1),
        liquidation: LiquidationSpec(penalty: Amount("0.01")!, buffer: Amount("0.02")!, maxPortion: Amount("0.25")!, minNotional: 1_000),
        insuranceFund: 100_000,
        regimes: RegimeSpec(
            ewmaHalfLifeSeconds: 3600, hysteresis: Amount("0.2")!, cooldownSeconds: 300, mmRampSeconds: 600,
            elevated: RegimeThreshold(volatility: 1_000, initialMarginMultiplier: Amount("1.5")!, maintenanceMarginMultiplier: Amount("1.25")!),
            isolated: RegimeThreshold(volatility: 2_000, initialMarginMultiplier: 2, maintenanceMarginMultiplier: Amount("1.5")!),
            reduceOnly: RegimeThreshold(volatility: 4_000, initialMarginMultiplier: 2, maintenanceMarginMultiplier: Amount("1.5")!)))
}

func recovery() async throws {
    let (journal, directory) = try freshJournal("recovery")
    defer { try? FileManager.default.removeItem(at: directory) }
    let writeStarted = clock.now
    var sequence: UInt64 = 0
    while Int(sequence) < options.records {
        let count = min(10_000, options.records - Int(sequence))
        let entries = (0..<count).map { offset in
            JournalEntry(segment: "bench", sequence: sequence + UInt64(offset) + 1, arrival: 0, kind: JournalKind.engineCommand, payload: depositPayload(Int(sequence) + offset))
        }
        sequence += UInt64(count)
        try await journal.submit(entries, idempotency: nil).durable()
    }
    let written = seconds(clock.now - writeStarted)
    journal.close()

    let reopened = try SQLiteJournal(configuration: .init(path: directory.appendingPathComponent("journal.sqlite").path))
    defer { reopened.close() }
    let readStarted = clock.now
    var read = 0
    var after: UInt64 = 0
    while true {
        let page = try reopened.entries(segment: "bench", after: after, limit: 10_000)
        read += page.count
        guard let last = page.last else { break }
        after = last.sequence
    }
    let readTime = seconds(clock.now - readStarted)

    let recovery = JournalRecovery(replay: SegmentReplay(journal: reopened, pageSize: 10_000) { _ in spec() })
    let (segments, report) = try recovery.recoverAll(configured: [spec()])
    precondition(segments.first?.lastSequence == UInt64(options.records))
    print(String(format: "recovery of %d records: write %.2f s (%.0f rows/s in 10k-entry submits), read only %.2f s, full replay %.2f s (%.0f records/s)",
                 options.records, written, Double(options.records) / written, readTime,
                 seconds(report.duration), Double(report.recordsReplayed) / seconds(report.duration)))
    _ = read
}

print("journal bench: \(options.directory), \(options.seconds) s per batch size")
for batch in [1, 100, 1_000] { try await throughput(batch: batch) }
try await recovery()
