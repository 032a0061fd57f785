import RiskEngine

/// Finishes every transfer left `pending` by a crash (RISK.md "Bridges"), after segment
/// replay and before serving: value is never left stuck between two segments.
///
/// For each pending transfer, oldest id first: if the destination already credited it, the
/// source completes it; otherwise the destination is credited now (at most once per id) and
/// the source completes it, or — when the credit is impossible (destination halted or gone,
/// asset no longer permitted) — the source refunds it. Each credit is durable before the
/// settlement that depends on it is written, the same order the live path keeps.
public struct TransferRecovery: Sendable {
    public var journal: any JournalStore

    public init(journal: any JournalStore) {
        self.journal = journal
    }

    public struct Report: Sendable, Equatable {
        public var completed: [TransferRecord] = []
        public var refunded: [TransferRecord] = []

        public var count: Int { completed.count + refunded.count }
    }

    /// Settles every pending transfer of `segments` in place (their `lastSequence` advance
    /// with the entries written) and returns what was settled.
    public func finish(_ segments: inout [RestoredSegment], at arrival: Timestamp) async throws(JournalError) -> Report {
        var report = Report()
        var index: [String: Int] = [:]
        for (i, restored) in segments.enumerated() { index[restored.segment.spec.id] = i }
        for s in segments.indices {
            for transfer in segments[s].segment.pendingTransfers {
                var credited = false
                if let d = index[transfer.to] {
                    if segments[d].segment.hasCredited(transfer: transfer.id) {
                        credited = true
                    } else {
                        let credit = TransferCredit(for: transfer, arrival: arrival)
                        if segments[d].segment.apply(credit).isApplied {
                            try await append(.transferCredit(credit), to: &segments[d], at: arrival)
                            credited = true
                        }
                    }
                }
                let settlement = TransferSettlement(id: transfer.id, outcome: credited ? .completed : .refunded, arrival: arrival)
                let settled: TransferRecord?
                do { settled = try segments[s].segment.apply(settlement) } catch {
                    throw JournalError(.other, message: "transfer \(transfer.idText) cannot settle: \(error.message)")
                }
                try await append(.transferSettlement(settlement), to: &segments[s], at: arrival)
                if let settled { credited ? report.completed.append(settled) : report.refunded.append(settled) }
            }
        }
        return report
    }

    private func append(_ command: EngineCommand, to restored: inout RestoredSegment, at arrival: Timestamp) async throws(JournalError) {
        restored.lastSequence += 1
        let entry = JournalEntry(
            segment: restored.segment.spec.id, sequence: restored.lastSequence, arrival: arrival.nanoseconds,
            kind: JournalKind.engineCommand, payload: command.encoded())
        try await journal.submit([entry], idempotency: nil).durable()
    }
}
