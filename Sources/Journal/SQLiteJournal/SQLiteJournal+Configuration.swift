extension SQLiteJournal {
    /// Every limit has a safe default.
    public struct Configuration: Sendable {
        /// Path of the database file; `-wal` and `-shm` files live beside it.
        public var path: String
        /// Entries queued but not yet taken by the writer. A submit beyond this fails at once
        /// with `reason == .overloaded` (it never blocks the calling actor).
        public var maxPendingEntries: Int
        /// How long a connection waits for a lock held by another process.
        public var busyTimeoutMilliseconds: Int32
        /// WAL pages after which SQLite checkpoints into the main file.
        public var walAutocheckpointPages: Int
        /// Size the WAL file is truncated back to after a checkpoint (its high-water mark
        /// otherwise stays on disk).
        public var walSizeLimitBytes: Int
        /// Test hook for simulated I/O failures.
        public var faultInjector: FaultInjector?
        /// Test hook: caps the database size (`PRAGMA max_page_count`) to simulate a full disk.
        public var maxPageCount: Int?

        public init(
            path: String,
            maxPendingEntries: Int = 65_536,
            busyTimeoutMilliseconds: Int32 = 5_000,
            walAutocheckpointPages: Int = 1_000,
            walSizeLimitBytes: Int = 64 << 20,
            faultInjector: FaultInjector? = nil,
            maxPageCount: Int? = nil
        ) {
            self.path = path
            self.maxPendingEntries = max(1, maxPendingEntries)
            self.busyTimeoutMilliseconds = busyTimeoutMilliseconds
            self.walAutocheckpointPages = walAutocheckpointPages
            self.walSizeLimitBytes = walSizeLimitBytes
            self.faultInjector = faultInjector
            self.maxPageCount = maxPageCount
        }
    }
}
