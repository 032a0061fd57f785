import RiskEngine
import Synchronization

/// The cluster's side of transfers across instances (DESIGN.md "Transfers across
/// instances"): transfer ids, the outbox rows each owner acts on, fenced refusals, and the
/// mode and spec each owner publishes for its segments. Rows are opened and advanced by the
/// journal itself (`OutboxChange`, in the step's own transaction); this class reads them and
/// writes only what no journal entry carries.
///
/// Its own connection, like the leases: the request path and the relay never wait behind a
/// journal batch.
public final class TransferOutbox: Sendable {
    private let connection: ReconnectingConnection
    /// Ids handed out by the sequence, 64 at a time (its increment), used up here.
    private let ids = Mutex<(next: UInt64, end: UInt64)>((0, 0))
    static let idBlock: UInt64 = 64

    public init(url: String, connectTimeoutSeconds: Int = 5) {
        connection = ReconnectingConnection(url: url, connectTimeoutSeconds: connectTimeoutSeconds, retriesLostConnection: true)
    }

    /// A transfer id no instance has used or will use: from this instance's current block,
    /// or from a new block of the shared sequence.
    public func nextId() throws(JournalError) -> UInt64 {
        if let id = ids.withLock({ block -> UInt64? in
            guard block.next < block.end else { return nil }
            defer { block.next += 1 }
            return block.next
        }) {
            return id
        }
        let start = try withConnection { connection throws(PostgresError) in
            UInt64(try connection.query("next_transfer_ids", "SELECT nextval('transfer_ids')").int64(0, 0))
        }
        return ids.withLock { block in
            block = (start + 1, start + Self.idBlock)
            return start
        }
    }

    /// Pending transfers into `segments` (for their owner to credit), oldest first.
    public func toCredit(into segments: [String], limit: Int) throws(JournalError) -> [OutboxRow] {
        guard !segments.isEmpty else { return [] }
        return try select("outbox_to_credit", "state = 'pending' AND to_segment = ANY(string_to_array($1, ','))", segments, limit)
    }

    /// Credited or refused transfers out of `segments` (for their owner to settle), oldest first.
    public func toSettle(from segments: [String], limit: Int) throws(JournalError) -> [OutboxRow] {
        guard !segments.isEmpty else { return [] }
        return try select(
            "outbox_to_settle", "state IN ('credited', 'refused') AND from_segment = ANY(string_to_array($1, ','))", segments, limit)
    }

    public func row(id: UInt64) throws(JournalError) -> OutboxRow? {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query("outbox_by_id", Self.select + " WHERE id = $1", [.int64(Int64(bitPattern: id))])
            return rows.isEmpty ? nil : Self.row(rows, 0)
        }
    }

    /// The transfer opened under an idempotency key, if any (the newest).
    public func row(idempotencyKey key: String) throws(JournalError) -> OutboxRow? {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query(
                "outbox_by_key", Self.select + " WHERE idempotency_key = $1 ORDER BY id DESC LIMIT 1", [.text(key)])
            return rows.isEmpty ? nil : Self.row(rows, 0)
        }
    }

    /// The destination cannot take the transfer: `pending` → `refused`, only while `segment`
    /// is still leased at `epoch` (the row lock makes a takeover wait), so a stale owner can
    /// never refuse what the new owner credits. False when fenced or no longer pending.
    public func refuse(id: UInt64, into segment: String, epoch: UInt64, reason: String) throws(JournalError) -> Bool {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query("outbox_refuse", """
                WITH lease AS (
                    SELECT 1 FROM segment_owner WHERE segment = $2 AND epoch = $3 FOR SHARE
                ), refused AS (
                    UPDATE transfer_outbox SET state = 'refused', reason = $4, updated_at = clock_timestamp()
                    WHERE id = $1 AND to_segment = $2 AND state = 'pending' AND EXISTS (SELECT 1 FROM lease)
                    RETURNING from_segment
                )
                SELECT pg_notify('\(OutboxChange.channel)', from_segment) FROM refused
                """, [.int64(Int64(bitPattern: id)), .text(segment), .int64(Int64(epoch)), .text(reason)])
            return rows.count == 1
        }
    }

    // MARK: Segment status

    /// The owner's view of one of its segments: its mode, spec (JSON) and outgoing bridges'
    /// window use (opaque to the journal), for the bridge checks and answers of instances
    /// that serve the other end. Written only under the current epoch.
    public func publish(segment: String, epoch: UInt64, status: PublishedStatus) throws(JournalError) {
        try withConnection { connection throws(PostgresError) in
            try connection.query("publish_status", """
                INSERT INTO segment_status AS current(segment, epoch, mode, spec, usage) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (segment) DO UPDATE SET epoch = excluded.epoch, mode = excluded.mode, spec = excluded.spec,
                    usage = excluded.usage, updated = clock_timestamp()
                WHERE current.epoch <= excluded.epoch
                """, [.text(segment), .int64(Int64(epoch)), .text(status.mode), .bytes(status.spec), .bytes(status.usage)])
        }
    }

    /// Every published segment status, by segment.
    public func statuses() throws(JournalError) -> [String: PublishedStatus] {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query("read_statuses", "SELECT segment, mode, spec, usage FROM segment_status")
            var statuses: [String: PublishedStatus] = [:]
            for row in 0..<rows.count {
                statuses[rows.text(row, 0)] = PublishedStatus(mode: rows.text(row, 1), spec: rows.bytes(row, 2), usage: rows.bytes(row, 3))
            }
            return statuses
        }
    }

    public func close() { connection.close() }

    // MARK: Reading rows

    private static let select = """
        SELECT id, state, account, from_segment, to_segment, asset, amount, accepted_at,
               idempotency_key, request_hash, answer, reason
        FROM transfer_outbox
        """

    private func select(_ name: String, _ condition: String, _ segments: [String], _ limit: Int) throws(JournalError) -> [OutboxRow] {
        try withConnection { connection throws(PostgresError) in
            let rows = try connection.query(
                name, Self.select + " WHERE " + condition + " ORDER BY id LIMIT $2",
                [.text(segments.joined(separator: ",")), .int64(Int64(max(1, limit)))])
            return (0..<rows.count).compactMap { Self.row(rows, $0) }
        }
    }

    private static func row(_ rows: PostgresRows, _ row: Int) -> OutboxRow? {
        guard let stage = OutboxRow.Stage(rawValue: rows.text(row, 1)), let raw = Int128(rows.text(row, 6)) else { return nil }
        let state: TransferState = switch stage {
        case .completed: .completed
        case .refunded: .refunded
        case .pending, .credited, .refused: .pending
        }
        let record = TransferRecord(
            id: UInt64(bitPattern: rows.int64(row, 0)), state: state, account: rows.text(row, 2), from: rows.text(row, 3),
            to: rows.text(row, 4), asset: rows.text(row, 5), amount: Amount(uncheckedRaw: raw),
            timestamp: Timestamp(nanoseconds: rows.int64(row, 7)))
        return OutboxRow(
            stage: stage, record: record, idempotencyKey: rows.isNull(row, 8) ? nil : rows.text(row, 8),
            requestHash: rows.isNull(row, 9) ? nil : rows.bytes(row, 9), answer: rows.isNull(row, 10) ? nil : rows.bytes(row, 10),
            reason: rows.isNull(row, 11) ? nil : rows.text(row, 11))
    }

    private func withConnection<T: Sendable>(_ body: (PostgresConnection) throws(PostgresError) -> T) throws(JournalError) -> T {
        try connection.run(body)
    }
}

/// A segment as its owner last published it (table `segment_status`).
public struct PublishedStatus: Sendable, Hashable {
    public var mode: String
    /// The spec as JSON.
    public var spec: [UInt8]
    /// The outgoing bridges' window use, encoded by the service.
    public var usage: [UInt8]

    public init(mode: String, spec: [UInt8], usage: [UInt8]) {
        self.mode = mode
        self.spec = spec
        self.usage = usage
    }
}
