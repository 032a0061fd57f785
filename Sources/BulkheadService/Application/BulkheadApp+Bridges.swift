import Journal
import RiskEngine

extension BulkheadApp {
    /// Recovery, before serving: every transfer a crash left `pending` is credited or
    /// refunded (RISK.md "Bridges"), so nothing stays between two segments.
    func finishTransfers(_ recovered: inout [RestoredSegment]) async throws {
        let report = try await TransferRecovery(journal: journal).finish(&recovered, at: clock.now())
        for record in report.completed + report.refunded {
            bridges.events.record(.transfer(record))
            metrics.recordTransfer(record.bridge, outcome: record.state.rawValue)
        }
        if report.count > 0 {
            logger.notice(
                "pending transfers settled", metadata: ["completed": "\(report.completed.count)", "refunded": "\(report.refunded.count)"])
        }
    }

    /// The bridge book from the config file and the journal's bridge stream; transfer ids
    /// continue above every id a segment has seen.
    func installBridges(lastTransferId: UInt64) throws {
        let restored = try BridgeReplay(journal: journal).restore(configured: configuredBridges)
        bridges.install(restored, segments: registry)
        transfers.resumeIds(after: lastTransferId)
        logger.info("bridges", metadata: ["count": "\(restored.book.count)", "journaled": "\(restored.lastSequence)"])
    }

    /// The bridge and transfer events recorded so far (oldest first, bounded), until the
    /// event stream publishes them.
    var bridgeEvents: [BridgeEvent] { bridges.events.events }
}
