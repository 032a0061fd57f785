/// Reads an `Accept-Encoding` value (RFC 9110 §12.5.3) for gzip.
public enum AcceptEncoding {
    /// Whether gzip is acceptable: listed (or `*`) with a q-value above zero; an explicit
    /// `gzip` entry wins over `*`.
    public static func allowsGzip(_ value: String?) -> Bool {
        guard let value else { return false }
        var gzip: Bool?
        var wildcard: Bool?
        for element in value.split(separator: ",") {
            let parts = element.split(separator: ";")
            guard let first = parts.first else { continue }
            let coding = first.trimmingSpaces.lowercased()
            var accepted = true
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingSpaces.lowercased() == "q" else { continue }
                accepted = (Double(pair[1].trimmingSpaces) ?? 0) > 0
            }
            if coding == "gzip" || coding == "x-gzip" {
                gzip = accepted
            } else if coding == "*" {
                wildcard = accepted
            }
        }
        return gzip ?? wildcard ?? false
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var result = self
        while let first = result.first, first == " " || first == "\t" { result.removeFirst() }
        while let last = result.last, last == " " || last == "\t" { result.removeLast() }
        return result
    }
}
