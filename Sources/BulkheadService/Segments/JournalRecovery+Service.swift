import Journal
import RiskEngine

extension JournalRecovery {
    /// Recovery that reads `segmentCreated` payloads with the service's SegmentSpec JSON (the
    /// journal stores the spec as the service wrote it; only the service can read it back).
    public init(journal: any JournalStore, pageSize: Int = 1_000, liquidationRetention: Int = Segment.defaultLiquidationRetention) {
        var replay = SegmentReplay(journal: journal, pageSize: pageSize) { bytes in
            try SegmentSpec(json: try JSONReader.parse(bytes))
        }
        replay.liquidationRetention = liquidationRetention
        self.init(replay: replay)
    }
}
