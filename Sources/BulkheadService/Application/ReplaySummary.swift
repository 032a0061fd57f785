import Journal

/// One line per replayed segment: `<id> sequence=<n> stateHash=<hex> <summary JSON>`.
public enum ReplaySummary {
    public static func line(for recovered: RestoredSegment) -> String {
        var json = JSONWriter(capacity: 1024)
        recovered.segment.view().writeSummary(to: &json)
        let hash = String(recovered.segment.stateHash, radix: 16)
        return "\(recovered.segment.spec.id) sequence=\(recovered.lastSequence) stateHash=\(hash) \(String(decoding: json.bytes, as: UTF8.self))"
    }
}
