import Testing
@testable import Journal

/// The two implementations of `JournalStore` the shared journal tests run against.
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite, postgres

    /// SQLite always; PostgreSQL when its binaries are installed (`PostgresAvailabilityTests`
    /// reports the skip otherwise).
    static var available: [StoreKind] { PostgresTestCluster.isAvailable ? [.sqlite, .postgres] : [.sqlite] }

    var testDescription: String { rawValue }
}

/// What the shared tests observe of either store.
protocol TestJournal: JournalStore {
    var health: JournalHealth { get }
    var metrics: JournalMetrics { get }
}

extension SQLiteJournal: TestJournal {}
extension PostgresJournal: TestJournal {}

/// Holds the store's write lock from another connection, so the writer blocks and submits
/// made meanwhile pile up deterministically, without any sleep.
protocol WriteLock {
    func release() throws
}

extension WriteLockHolder: WriteLock {}

/// A store of either kind, empty: a fresh SQLite file or a fresh PostgreSQL database.
final class StoreFixture {
    let kind: StoreKind
    private let sqlite: JournalFixture
    /// The PostgreSQL database (nil for SQLite).
    let url: String?
    /// The leases of the PostgreSQL store's instance; kept across reopen.
    let epochs = SegmentEpochs()
    private var leases: SegmentLeases?

    init(_ kind: StoreKind) throws {
        self.kind = kind
        sqlite = try JournalFixture()
        url = kind == .postgres ? try PostgresTestCluster.start().createDatabase() : nil
    }

    deinit { leases?.close() }

    /// Opens the store. PostgreSQL appends are fenced, so the instance first takes the
    /// leases of the segments the test writes (SQLite ignores `owning`).
    func open(owning segments: [String] = [], maxPendingEntries: Int = 65_536) throws -> any TestJournal {
        switch kind {
        case .sqlite:
            return try sqlite.open { $0.maxPendingEntries = maxPendingEntries }
        case .postgres:
            let url = url!
            if leases == nil { leases = try SegmentLeases(url: url, instanceID: "test", epochs: epochs) }
            for segment in segments where epochs.epoch(of: segment) == nil {
                _ = try #require(try leases!.acquire(segment))
            }
            return try PostgresJournal(configuration: .init(url: url, epochs: epochs, maxPendingEntries: maxPendingEntries))
        }
    }

    func holdWriteLock() throws -> any WriteLock {
        switch kind {
        case .sqlite: return try WriteLockHolder(path: sqlite.path)
        case .postgres: return try PostgresTableLock(url: url!)
        }
    }
}

/// `LOCK TABLE entries` from a second connection: the writer's first INSERT waits for it.
final class PostgresTableLock: WriteLock {
    private let connection: PostgresConnection

    init(url: String) throws {
        connection = try PostgresConnection(url: url)
        try connection.execute("BEGIN; LOCK TABLE entries IN EXCLUSIVE MODE")
    }

    func release() throws {
        try connection.execute("COMMIT")
        connection.close()
    }
}

extension JournalStore {
    func allEntries(_ segment: String) throws -> [JournalEntry] {
        try entries(segment: segment, after: 0, limit: .max)
    }
}
