import RiskEngine

extension TransferRecord {
    /// API.md's transfer record (also the `transfer` event's data).
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(idText)
        json.key("state"); json.string(state.rawValue)
        json.key("account"); json.string(account)
        json.key("from"); json.string(from)
        json.key("to"); json.string(to)
        json.key("asset"); json.string(asset)
        json.key("amount"); json.amount(amount)
        json.key("timestamp"); json.timestamp(timestamp)
        json.endObject()
    }

    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 256)
        write(to: &json)
        return json.bytes
    }
}

/// The answer to an accepted transfer once it is final: `completed` or `refunded`, with the
/// source account after it and, when credited, the destination account.
struct TransferAnswer: Sendable {
    var record: TransferRecord
    var from: MarginSummary?
    var to: MarginSummary? = nil
    /// Cluster mode: the destination account as its owner rendered it at the credit.
    var toJSON: [UInt8]? = nil

    var json: [UInt8] {
        var json = JSONWriter(capacity: 2 * FillOutcome.jsonCapacity)
        json.beginObject()
        json.key("decision"); json.string("accepted")
        json.key("transfer"); record.write(to: &json)
        if let from { json.key("from"); from.write(to: &json) }
        if let to, record.state == .completed { json.key("to"); to.write(to: &json) }
        if to == nil, let toJSON, !toJSON.isEmpty, record.state == .completed { json.key("to"); json.raw(toJSON) }
        json.endObject()
        return json.bytes
    }
}

extension TransferDebitOutcome {
    /// `{"decision":"rejected","reason","message","from": MarginSummary}`.
    var rejectedJSON: [UInt8] {
        var json = JSONWriter(capacity: FillOutcome.jsonCapacity)
        json.beginObject()
        decision.writeMembers(to: &json)
        json.key("from"); account.write(to: &json)
        json.endObject()
        return json.bytes
    }
}

extension BridgeSpec {
    /// The bridge as configured (the `PUT` body's shape).
    func write(to json: inout JSONWriter) {
        json.beginObject()
        writeMembers(to: &json)
        json.endObject()
    }

    func writeMembers(to json: inout JSONWriter) {
        json.key("from"); json.string(from)
        json.key("to"); json.string(to)
        json.key("asset"); json.string(asset)
        json.key("windowSeconds"); json.int(windowSeconds)
        json.key("windowLimit"); json.amount(windowLimit)
        json.key("maxTransfer"); json.amount(maxTransfer)
        json.key("elevatedFactor"); json.amount(elevatedFactor)
        json.key("enabled"); json.bool(enabled)
    }

    /// `GET /v1/bridges`' entry: the live state and the window's use.
    func write(status: BridgeStatus, used: Amount, to json: inout JSONWriter) {
        json.beginObject()
        json.key("from"); json.string(from)
        json.key("to"); json.string(to)
        json.key("asset"); json.string(asset)
        json.key("state"); json.string(status.state.rawValue)
        json.key("reason"); json.string(status.reason)
        json.key("windowSeconds"); json.int(windowSeconds)
        json.key("windowLimit"); json.amount(windowLimit)
        json.key("effectiveLimit"); json.amount(status.effectiveLimit)
        json.key("usedInWindow"); json.amount(used)
        json.key("available"); json.amount(Amount(uncheckedRaw: max(0, status.effectiveLimit.raw - used.raw)))
        json.key("maxTransfer"); json.amount(maxTransfer)
        json.key("elevatedFactor"); json.amount(elevatedFactor)
        json.key("enabled"); json.bool(enabled)
        json.endObject()
    }
}

extension BridgeStateChange {
    /// The `bridge_state` event's data.
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("from"); json.string(from)
        json.key("to"); json.string(to)
        json.key("asset"); json.string(asset)
        json.key("state"); json.string(state.rawValue)
        json.key("reason"); json.string(reason)
        json.key("timestamp"); json.timestamp(timestamp)
        json.endObject()
        return json.bytes
    }
}
