import RiskEngine

/// The configured segments (`<config>/segments.json`: `{"segments": [SegmentSpec…]}`).
public enum SegmentCatalog {
    /// Decodes and validates every spec; the error names the file, the segment and the field.
    public static func load(path: String) throws(ConfigurationError) -> [SegmentSpec] {
        guard let bytes = try FileBytes.contents(path) else { throw ConfigurationError("\(path): file not found") }
        return try decode(bytes, file: path)
    }

    public static func decode(_ bytes: [UInt8], file: String) throws(ConfigurationError) -> [SegmentSpec] {
        let document: JSONValue
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            throw ConfigurationError("\(file): not valid JSON: \(error.message)")
        }
        let entries: [JSONValue]
        do {
            entries = try FieldReader(document).array("segments")
        } catch {
            throw ConfigurationError("\(file): \(error.message)")
        }
        var specs: [SegmentSpec] = []
        var seen = Set<String>()
        for (index, entry) in entries.enumerated() {
            let label: String
            if case .object(let object) = entry, case .string(let id)? = object["id"] {
                label = "segment '\(id)' (segments[\(index)])"
            } else {
                label = "segments[\(index)]"
            }
            let spec: SegmentSpec
            do {
                spec = try SegmentSpec(json: entry)
            } catch {
                throw ConfigurationError("\(file): \(label): \(error.message)")
            }
            do {
                try spec.validate()
            } catch {
                throw ConfigurationError("\(file): \(label): field '\(error.field)': \(error.message)")
            }
            guard seen.insert(spec.id).inserted else { throw ConfigurationError("\(file): \(label): duplicate segment id") }
            specs.append(spec)
        }
        return specs
    }
}
