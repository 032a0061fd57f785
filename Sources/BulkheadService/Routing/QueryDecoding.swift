import HTTPServer

/// `application/x-www-form-urlencoded`-style query strings (`+` is a space), decoded with the
/// server's percent-decoding.
enum QueryDecoding {
    /// `name=value` pairs of a query string, decoded; nil when malformed.
    static func query(_ query: Substring?) -> [(name: String, value: String)]? {
        guard let query, !query.isEmpty else { return [] }
        var pairs: [(name: String, value: String)] = []
        for component in query.split(separator: "&", omittingEmptySubsequences: true) {
            let equals = component.firstIndex(of: "=")
            let rawName = component[..<(equals ?? component.endIndex)]
            let rawValue = equals.map { component[component.index(after: $0)...] } ?? ""
            guard let name = PercentDecoding.decode(rawName, plusIsSpace: true),
                  let value = PercentDecoding.decode(rawValue, plusIsSpace: true) else { return nil }
            pairs.append((name, value))
        }
        return pairs
    }
}
