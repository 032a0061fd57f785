import RiskEngine

/// The SQL of each outbox change (`OutboxChange`), run in the transaction of the journal entry
/// that carries it, right after that entry went in under its segment's epoch. Each one wakes
/// the instance that acts next with `NOTIFY bulkhead_transfers, '<segment>'` (delivered at
/// COMMIT, so never for a change that did not commit). None of them can refuse the submit:
/// opening is keyed by a fresh id, and only the fenced owner of the acting segment advances a
/// row, from the state it read.
extension OutboxChange {
    /// The NOTIFY channel every instance listens on; the payload names the segment whose
    /// owner has something to do.
    public static let channel = "bulkhead_transfers"

    var statement: PostgresStatement {
        switch self {
        case .open(let record, let key, let hash):
            return PostgresStatement(name: "outbox_open", sql: """
                WITH opened AS (
                    INSERT INTO transfer_outbox(id, state, account, from_segment, to_segment, asset, amount, accepted_at,
                                                idempotency_key, request_hash)
                    VALUES ($1, 'pending', $2, $3, $4, $5, $6, $7, $8, $9)
                    ON CONFLICT DO NOTHING RETURNING to_segment
                )
                SELECT pg_notify('\(Self.channel)', to_segment) FROM opened
                """, parameters: [
                    .int64(Int64(bitPattern: record.id)), .text(record.account), .text(record.from), .text(record.to),
                    .text(record.asset), .text(String(record.amount.raw)), .int64(record.timestamp.nanoseconds),
                    key.map { .text($0) } ?? .null, hash.map { .bytes($0) } ?? .null,
                ])
        case .credited(let id, let answer):
            return PostgresStatement(name: "outbox_credited", sql: """
                WITH credited AS (
                    UPDATE transfer_outbox SET state = 'credited', answer = $2, updated_at = clock_timestamp()
                    WHERE id = $1 AND state = 'pending' RETURNING from_segment
                )
                SELECT pg_notify('\(Self.channel)', from_segment) FROM credited
                """, parameters: [.int64(Int64(bitPattern: id)), .bytes(answer)])
        case .settled(let id, let state, let answer, let createdAt):
            // The stored answer goes under the request's key only now, with the change that
            // makes it final; a key stored already (a concurrent duplicate) keeps its answer.
            return PostgresStatement(name: "outbox_settled", sql: """
                WITH settled AS (
                    UPDATE transfer_outbox SET state = $2, updated_at = clock_timestamp()
                    WHERE id = $1 AND state IN ('credited', 'refused')
                    RETURNING idempotency_key, request_hash
                ), stored AS (
                    INSERT INTO idempotency(key, request_hash, status, body, created_at)
                    SELECT idempotency_key, request_hash, 200, $3, $4 FROM settled WHERE idempotency_key IS NOT NULL
                    ON CONFLICT DO NOTHING RETURNING 1
                )
                SELECT (SELECT count(*) FROM settled), (SELECT count(*) FROM stored)
                """, parameters: [
                    .int64(Int64(bitPattern: id)), .text(state.rawValue), .bytes(answer),
                    .int64(createdAt),
                ])
        }
    }
}
