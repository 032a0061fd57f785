import Journal
import RiskEngine

/// An event's `data` (API.md "Events"): one JSON object per event.
extension SegmentEvent {
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 384)
        switch self {
        case .liquidation(let decision):
            decision.write(to: &json)
        case .modeChange(let change):
            json.beginObject()
            json.key("segment"); json.string(change.segment)
            json.key("from"); json.string(change.from.rawValue)
            json.key("to"); json.string(change.to.rawValue)
            json.key("reason"); json.string(change.reason)
            json.key("volatility"); json.amount(change.volatility)
            json.key("timestamp"); json.timestamp(change.timestamp)
            json.endObject()
        case .priceRejected(let rejection):
            json.beginObject()
            json.key("segment"); json.string(rejection.segment)
            json.key("market"); json.string(rejection.market)
            json.key("source"); json.string(rejection.source)
            json.key("price"); json.amount(rejection.price)
            json.key("reason"); json.string(rejection.reason.rawValue)
            json.key("message"); json.string(rejection.message)
            json.key("timestamp"); json.timestamp(rejection.timestamp)
            json.endObject()
        case .bridgeState(let payload), .transfer(let payload):
            json.raw(payload.json)
        case .paramsChanged(let change):
            json.beginObject()
            json.key("segment"); json.string(change.segment)
            json.key("version"); json.int(change.version)
            json.key("changes"); ParamChange.write(change.changes, to: &json)
            json.key("timestamp"); json.timestamp(change.timestamp)
            json.endObject()
        }
        return json.bytes
    }

    /// The journaled form, at its place in the stream.
    func stored(sequence: UInt64, index: Int) -> StoredEvent {
        StoredEvent(position: EventPosition(sequence: sequence, index: UInt32(truncatingIfNeeded: index)), type: type, data: jsonBytes)
    }
}

extension ParamChange {
    static func write(_ changes: [ParamChange], to json: inout JSONWriter) {
        json.array(changes) { json, change in
            json.beginObject()
            json.key("field"); json.string(change.field)
            json.key("from"); json.string(change.from)
            json.key("to"); json.string(change.to)
            json.key("effectiveAt"); json.timestamp(change.effectiveAt)
            json.endObject()
        }
    }
}

/// Server-Sent Events framing (WHATWG HTML §9.2).
enum ServerSentEvents {
    static let opening: [UInt8] = Array("retry: 3000\n\n".utf8)
    static let keepAlive: [UInt8] = Array(": keep-alive\n\n".utf8)

    static func append(_ event: StoredEvent, to bytes: inout [UInt8]) {
        bytes.append(contentsOf: "id: \(event.position)\nevent: \(event.type)\ndata: ".utf8)
        bytes.append(contentsOf: event.data)  // JSON from JSONWriter: never a raw newline
        bytes.append(contentsOf: "\n\n".utf8)
    }

    static func reset(oldest: EventPosition) -> [UInt8] {
        Array("event: reset\ndata: {\"reason\":\"history_pruned\",\"oldestId\":\"\(oldest)\"}\n\n".utf8)
    }
}
