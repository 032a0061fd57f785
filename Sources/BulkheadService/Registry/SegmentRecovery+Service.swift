import Journal
import RiskEngine

extension SegmentRecovery {
    /// Recovery that reads `segmentCreated` payloads with the service's SegmentSpec JSON.
    public init(journal: any JournalStore) {
        self.init(journal: journal) { bytes in
            try SegmentSpec(json: try JSONReader.parse(bytes))
        }
    }
}
