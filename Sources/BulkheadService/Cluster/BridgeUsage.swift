import RiskEngine

/// How an owner publishes its outgoing bridges' window use for the other instances (which
/// answer `GET /v1/bridges` for bridges whose source they do not serve): a JSON object
/// `{"<to>/<asset>": "<amount>"}`, at most one round old.
enum BridgeUsage {
    static func key(_ bridge: BridgeSpec) -> String { bridge.to + "/" + bridge.asset }

    static func encode(_ usage: [(BridgeSpec, Amount)]) -> [UInt8] {
        var json = JSONWriter(capacity: 64 + 64 * usage.count)
        json.beginObject()
        for (bridge, used) in usage.sorted(by: { key($0.0) < key($1.0) }) {
            json.key(dynamic: key(bridge))
            json.amount(used)
        }
        json.endObject()
        return json.bytes
    }

    static func decode(_ bytes: [UInt8]) -> [String: Amount] {
        guard !bytes.isEmpty, case .object(let object)? = try? JSONReader.parse(bytes) else { return [:] }
        var usage: [String: Amount] = [:]
        for (name, value) in object.members {
            if case .string(let text) = value, let amount = Amount(text) { usage[name] = amount }
        }
        return usage
    }
}
