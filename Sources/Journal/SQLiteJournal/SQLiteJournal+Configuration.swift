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
        /// Operations one group commit takes at most. Batches are filled by fair share across
        /// segments, so this bounds how long one commit holds every segment's entries.
        public var maxBatchOperations: Int
        /// Fair-share weight per segment id in the writer's batches (1 for any other).
        public var segmentWeights: [String: Int]
        /// Test hook for simulated I/O failures.
        public var faultInjector: FaultInjector?
        /// Test hook: holds the writer before each batch and records the batches.
        public var writerGate: WriterGate?
        /// Test hook: caps the database size (`PRAGMA max_page_count`) to simulate a full disk.
        public var maxPageCount: Int?

        public init(
            path: String,
            maxPendingEntries: Int = 65_536,
            busyTimeoutMilliseconds: Int32 = 5_000,
            walAutocheckpointPages: Int = 1_000,
            walSizeLimitBytes: Int = 64 << 20,
            faultInjector: FaultInjector? = nil,
            maxPageCount: Int? = nil,
            maxBatchOperations: Int = 1_024,
            segmentWeights: [String: Int] = [:],
            writerGate: WriterGate? = nil
        ) {
            self.maxBatchOperations = max(1, maxBatchOperations)
            self.segmentWeights = segmentWeights
            self.writerGate = writerGate
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
