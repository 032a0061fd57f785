/// One unit of work for the writer thread, in submission order.
enum WriteOperation {
    case append([JournalEntry], IdempotencyRecord?)
    case snapshot(SnapshotRecord)
    case prune(segment: String, through: UInt64)
    case pruneIdempotency(before: Int64)
    /// Closes and reopens the write connection, clearing a failed state.
    case reopen

    /// SQL statements `WriteConnection.apply` runs for it.
    var statementCount: Int {
        switch self {
        case .append(let entries, let idempotency): entries.count + (idempotency == nil ? 0 : 1)
        case .snapshot: 2
        case .prune, .pruneIdempotency, .reopen: 1
        }
    }

    /// What counts against the queue bound.
    var weight: Int {
        if case .append(let entries, _) = self { return max(1, entries.count) }
        return 1
    }
}

struct QueuedOperation {
    var operation: WriteOperation
    var ticket: JournalTicket
    /// The segments' ownership epochs when it was submitted (PostgreSQL store only): each
    /// write checks its segment's in the same statement, so one made under a lost lease fails.
    var epochs: [String: UInt64] = [:]
}
