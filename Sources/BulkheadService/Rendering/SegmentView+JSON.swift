import RiskEngine

extension SegmentView {
    /// `GET /v1/segments/{segment}` (API.md "Segments").
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("spec"); spec.write(to: &json)
        json.key("mode"); json.string(mode.rawValue)
        json.key("marginMultiplier"); json.amount(marginMultiplier)
        json.key("collateral"); SegmentSpec.write(collateral: spec.collateral, to: &json)
        json.key("markets")
        json.array(markets) { json, market in
            json.beginObject()
            json.key("id"); json.string(market.id)
            json.key("indexPrice"); json.amount(market.indexPrice)
            json.key("priceTime"); json.timestamp(market.priceTime)
            json.key("initialMarginFraction"); json.amount(market.initialMarginFraction)
            json.key("maintenanceMarginFraction"); json.amount(market.maintenanceMarginFraction)
            json.key("openInterest"); json.amount(market.openInterest)
            json.key("maxOpenInterest"); json.amount(market.maxOpenInterest)
            json.key("volatility"); json.amount(market.volatility)
            json.endObject()
        }
        json.key("insuranceFund"); json.amount(insuranceFund)
        json.key("badDebt"); json.amount(badDebt)
        json.key("totals"); writeTotals(to: &json)
        json.endObject()
    }

    /// One entry of `GET /v1/segments`.
    func writeSummary(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("mode"); json.string(mode.rawValue)
        json.key("marginMultiplier"); json.amount(marginMultiplier)
        json.key("settlementAsset"); json.string(spec.settlementAsset)
        json.key("markets")
        json.array(spec.markets) { json, market in json.string(market.id) }
        json.key("insuranceFund"); json.amount(insuranceFund)
        json.key("badDebt"); json.amount(badDebt)
        json.key("totals"); writeTotals(to: &json)
        json.endObject()
    }

    private func writeTotals(to json: inout JSONWriter) {
        json.beginObject()
        json.key("accounts"); json.int(accounts)
        json.key("collateralValue"); json.amount(collateralValue)
        json.key("openInterestNotional"); json.amount(openInterestNotional)
        json.endObject()
    }

    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: 2048)
        write(to: &json)
        return json.bytes
    }
}
