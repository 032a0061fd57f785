extension ServiceSettings {
    /// "ETH-PERP=3,BTC-PERP=2" → weights by segment id. A string rather than an object so
    /// the same value works in `service.json`, the environment and a flag.
    static func parseWeights(_ text: String) throws(ConfigurationError) -> [String: Int] {
        var weights: [String: Int] = [:]
        for item in text.split(separator: ",") {
            let parts = item.split(separator: "=", omittingEmptySubsequences: false)
            let id = parts.first.map { String($0).trimmingSpaces } ?? ""
            guard parts.count == 2, !id.isEmpty, let weight = Int(String(parts[1]).trimmingSpaces) else {
                throw ConfigurationError("setting 'segments.weights' (BULKHEAD_SEGMENTS_WEIGHTS): expected id=weight, got '\(item)'")
            }
            guard weights[id] == nil else {
                throw ConfigurationError("setting 'segments.weights' (BULKHEAD_SEGMENTS_WEIGHTS): '\(id)' appears twice")
            }
            weights[id] = weight
        }
        return weights
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
