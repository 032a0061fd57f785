extension PostgresJournal {
    /// Every limit has a safe default.
    public struct Configuration: Sendable {
        /// libpq connection string or URI, e.g. `postgres://bulkhead@127.0.0.1:5432/bulkhead`.
        public var url: String
        /// Entries queued but not yet taken by the writer; beyond it a submit fails at once
        /// with `reason == .overloaded`.
        public var maxPendingEntries: Int
        /// Bound on connecting (a start against an unreachable server fails in this time).
        public var connectTimeoutSeconds: Int
        /// The leases this instance holds; an append is checked against the epoch found here
        /// when it was submitted.
        public var epochs: SegmentEpochs
        /// Called on the writer thread, before the fenced submit's ticket resolves, when the
        /// database refused a write because another instance took the segment over.
        public var onFenced: (@Sendable (_ segment: String, _ epoch: UInt64) -> Void)?

        public init(
            url: String,
            epochs: SegmentEpochs,
            maxPendingEntries: Int = 65_536,
            connectTimeoutSeconds: Int = 5,
            onFenced: (@Sendable (_ segment: String, _ epoch: UInt64) -> Void)? = nil
        ) {
            self.url = url
            self.epochs = epochs
            self.maxPendingEntries = max(1, maxPendingEntries)
            self.connectTimeoutSeconds = max(1, connectTimeoutSeconds)
            self.onFenced = onFenced
        }
    }
}
