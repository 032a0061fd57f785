import RiskEngine

/// Answers of the governance routes (API.md "Governance").
extension ParamsOutcome {
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 2048)
        json.beginObject()
        json.key("version"); json.int(version)
        json.key("spec"); spec.write(to: &json)
        json.key("pending"); PendingParam.write(pending, to: &json)
        json.key("liquidations"); LiquidationDecision.write(liquidations, to: &json)
        json.endObject()
        return json.bytes
    }
}

extension PendingParam {
    static func write(_ pending: [PendingParam], to json: inout JSONWriter) {
        json.array(pending) { json, change in
            json.beginObject()
            json.key("field"); json.string(change.field)
            json.key("value"); json.string(change.value.description)
            json.key("effectiveAt"); json.timestamp(change.effectiveAt)
            json.endObject()
        }
    }
}

extension ParamsVersion {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("version"); json.int(version)
        json.key("keyId"); json.string(keyId)
        json.key("reason"); json.string(reason)
        json.key("changes"); ParamChange.write(changes, to: &json)
        json.key("timestamp"); json.timestamp(timestamp)
        json.endObject()
    }
}

extension ModeOutcome {
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("mode"); json.string(mode.rawValue)
        json.key("floor")
        if let floor { json.string(floor.rawValue) } else { json.string("auto") }
        json.key("liquidations"); LiquidationDecision.write(liquidations, to: &json)
        json.endObject()
        return json.bytes
    }
}

extension InsuranceOutcome {
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 256)
        json.beginObject()
        json.key("amount"); json.amount(amount)
        json.key("badDebtPaid"); json.amount(badDebtPaid)
        json.key("insuranceFund"); json.amount(insuranceFund)
        json.key("badDebt"); json.amount(badDebt)
        json.key("mode"); json.string(mode.rawValue)
        json.key("liquidations"); LiquidationDecision.write(liquidations, to: &json)
        json.endObject()
        return json.bytes
    }
}
