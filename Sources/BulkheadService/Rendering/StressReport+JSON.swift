import RiskEngine

/// API.md "Stress" → 200: both architectures side by side, capital efficiency and the hashes.
extension StressReport {
    public func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        json.key("segmented")
        json.beginObject()
        json.key("segments")
        json.array(segmented.rows) { json, row in row.writeJSON(to: &json) }
        json.key("total")
        segmented.total.writeJSON(to: &json)
        json.endObject()
        if let monolithic {
            json.key("monolithic")
            json.beginObject()
            json.key("total")
            monolithic.total.writeJSON(to: &json)
            json.key("bySourceSegment")
            json.array(monolithic.rows) { json, row in row.writeJSON(to: &json) }
            json.endObject()
        }
        json.key("capitalEfficiency")
        json.beginObject()
        json.key("segmentedCollateralRequired")
        json.amount(capitalEfficiency.segmentedCollateralRequired)
        json.key("monolithicCollateralRequired")
        json.amount(capitalEfficiency.monolithicCollateralRequired)
        json.endObject()
        json.key("stateHashBefore")
        json.string(StressHash.hex(stateHashBefore))
        json.key("stateHashAfter")
        json.string(StressHash.hex(stateHashAfter))
        json.key("book")
        json.beginObject()
        json.key("segmentAccounts")
        json.int(segmentAccounts)
        json.key("accountIds")
        json.int(accountIds)
        json.key("positions")
        json.int(positions)
        json.endObject()
        json.endObject()
    }
}

extension StressFigures {
    public func writeJSON(to json: inout JSONWriter) {
        json.beginObject()
        if let segment {
            json.key("segment")
            json.string(segment)
        }
        json.key("accountsLiquidated")
        json.int(accountsLiquidated)
        json.key("liquidationSteps")
        json.int(liquidationSteps)
        json.key("accountsBankrupt")
        json.int(accountsBankrupt)
        json.key("badDebt")
        json.amount(badDebt)
        json.key("insuranceFundUsed")
        json.amount(insuranceFundUsed)
        json.key("insuranceFundAfter")
        json.amount(insuranceFundAfter)
        json.key("lossSocialized")
        json.amount(lossSocialized)
        json.key("contagionLoss")
        json.amount(contagionLoss)
        json.key("accountsUnaffected")
        json.int(accountsUnaffected)
        json.key("modeAfter")
        json.string(modeAfter.rawValue)
        json.endObject()
    }
}
