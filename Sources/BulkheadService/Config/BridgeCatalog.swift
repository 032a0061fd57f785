import RiskEngine

/// The configured bridges (`<config>/bridges.json`: `{"bridges": [Bridge…]}`, optional).
/// Every entry is decoded and validated against the configured segments; an error names the
/// file, the entry and the field, and the service does not start.
public enum BridgeCatalog {
    public static func load(path: String, segments: [SegmentSpec]) throws(ConfigurationError) -> [BridgeSpec] {
        guard let bytes = try FileBytes.contents(path) else { return [] }
        return try decode(bytes, file: path, segments: segments)
    }

    public static func decode(_ bytes: [UInt8], file: String, segments: [SegmentSpec]) throws(ConfigurationError) -> [BridgeSpec] {
        let document: JSONValue
        do {
            document = try JSONReader.parse(bytes)
        } catch {
            throw ConfigurationError("\(file): not valid JSON: \(error.message)")
        }
        let entries: [JSONValue]
        do {
            entries = try FieldReader(document).array("bridges")
        } catch {
            throw ConfigurationError("\(file): \(error.message)")
        }
        var specs: [String: SegmentSpec] = [:]
        for spec in segments { specs[spec.id] = spec }
        var bridges: [BridgeSpec] = []
        var seen = Set<BridgeKey>()
        guard entries.count <= BridgeBook.maxBridges else { throw ConfigurationError("\(file): at most \(BridgeBook.maxBridges) bridges") }
        for (index, entry) in entries.enumerated() {
            let label = "bridges[\(index)]"
            let bridge: BridgeSpec
            do {
                bridge = try BridgeSpec(json: entry)
            } catch {
                throw ConfigurationError("\(file): \(label): \(error.message)")
            }
            do {
                try bridge.validate { specs[$0] }
            } catch {
                throw ConfigurationError("\(file): \(label) (\(bridge.key)): field '\(error.field)': \(error.message)")
            }
            guard seen.insert(bridge.key).inserted else { throw ConfigurationError("\(file): \(label): duplicate bridge \(bridge.key)") }
            bridges.append(bridge)
        }
        return bridges
    }
}

extension ServiceSettings {
    /// `<config>/bridges.json` (optional: no file, no configured bridges).
    public var bridgesFile: String { configDirectory + "/bridges.json" }
}
