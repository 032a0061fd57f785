import RiskEngine

extension MarginSummary {
    /// The summary alone, as a JSON document (carried between instances in the outbox).
    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: FillOutcome.jsonCapacity)
        write(to: &json)
        return json.bytes
    }

    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("segment"); json.string(segment)
        json.key("account"); json.string(account)
        json.key("collateralValue"); json.amount(collateralValue)
        json.key("unrealizedPnl"); json.amount(unrealizedPnl)
        json.key("equity"); json.amount(equity)
        json.key("initialMargin"); json.amount(initialMargin)
        json.key("maintenanceMargin"); json.amount(maintenanceMargin)
        json.key("freeCollateral"); json.amount(freeCollateral)
        json.key("marginRatio"); json.amount(marginRatio)
        json.key("status"); json.string(status.rawValue)
        json.key("positions")
        json.array(positions) { json, position in
            json.beginObject()
            json.key("market"); json.string(position.market)
            json.key("size"); json.amount(position.size)
            json.key("entryPrice"); json.amount(position.entryPrice)
            json.key("markPrice"); json.amount(position.markPrice)
            json.key("notional"); json.amount(position.notional)
            json.key("unrealizedPnl"); json.amount(position.unrealizedPnl)
            json.key("initialMargin"); json.amount(position.initialMargin)
            json.key("maintenanceMargin"); json.amount(position.maintenanceMargin)
            json.key("liquidationPrice"); json.amount(position.liquidationPrice)
            json.endObject()
        }
        json.key("balances")
        json.array(balances) { json, balance in
            json.beginObject()
            json.key("asset"); json.string(balance.asset)
            json.key("balance"); json.amount(balance.balance)
            json.endObject()
        }
        json.endObject()
    }
}

extension LiquidationDecision {
    func write(to json: inout JSONWriter) {
        json.beginObject()
        json.key("id"); json.string(id)
        json.key("segment"); json.string(segment)
        json.key("account"); json.string(account)
        json.key("market"); json.string(market)
        json.key("sizeClosed"); json.amount(sizeClosed)
        json.key("remainingSize"); json.amount(remainingSize)
        json.key("price"); json.amount(price)
        json.key("bankruptcyPrice"); json.amount(bankruptcyPrice)
        json.key("penalty"); json.amount(penalty)
        json.key("insuranceFundDelta"); json.amount(insuranceFundDelta)
        json.key("badDebt"); json.amount(badDebt)
        json.key("socializedLoss"); json.amount(socializedLoss)
        json.key("equityBefore"); json.amount(equityBefore)
        json.key("maintenanceMarginBefore"); json.amount(maintenanceMarginBefore)
        json.key("reason"); json.string(reason)
        json.key("timestamp"); json.timestamp(timestamp)
        json.endObject()
    }

    static func write(_ decisions: [LiquidationDecision], to json: inout JSONWriter) {
        json.array(decisions) { json, decision in decision.write(to: &json) }
    }
}

extension RiskDecision {
    /// `"decision"`, and `"reason"`/`"message"` only when rejected.
    func writeMembers(to json: inout JSONWriter) {
        switch self {
        case .accepted:
            json.key("decision"); json.string("accepted")
        case .rejected(let reason, let message):
            json.key("decision"); json.string("rejected")
            json.key("reason"); json.string(reason.rawValue)
            json.key("message"); json.string(message)
        }
    }
}

extension FillOutcome {
    /// A one-position answer is ~510 bytes. 1,000 keeps the buffer (with the array header)
    /// within glibc's per-thread cache (≤ 1,032 bytes); 1,024 fell just past it, into the
    /// locked slow path, on every fill.
    static let jsonCapacity = 1_000

    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: Self.jsonCapacity)
        json.beginObject()
        decision.writeMembers(to: &json)
        json.key("account"); account.write(to: &json)
        if !liquidations.isEmpty {
            json.key("liquidations"); LiquidationDecision.write(liquidations, to: &json)
        }
        json.endObject()
        return json.bytes
    }
}

extension CollateralOutcome {
    static let jsonCapacity = FillOutcome.jsonCapacity

    var jsonBytes: [UInt8] {
        var json = JSONWriter(capacity: Self.jsonCapacity)
        json.beginObject()
        decision.writeMembers(to: &json)
        json.key("account"); account.write(to: &json)
        json.endObject()
        return json.bytes
    }
}

extension PriceOutcome {
    /// API.md "Prices": in a cascade the answer carries at most `cap` decisions, then the
    /// total and a cursor for `GET …/liquidations?after=`.
    func jsonBytes(cap: Int = .max) -> [UInt8] {
        let shown = liquidations.count > cap ? Array(liquidations.prefix(cap)) : liquidations
        var json = JSONWriter(capacity: 256 + 512 * shown.count)
        json.beginObject()
        json.key("accepted")
        json.array(accepted) { json, price in
            json.beginObject()
            json.key("market"); json.string(price.market)
            json.key("indexPrice"); json.amount(price.indexPrice)
            json.endObject()
        }
        json.key("rejected")
        json.array(rejected) { json, price in
            json.beginObject()
            json.key("market"); json.string(price.market)
            json.key("reason"); json.string(price.reason.rawValue)
            json.key("message"); json.string(price.message)
            json.endObject()
        }
        json.key("liquidations"); LiquidationDecision.write(shown, to: &json)
        if shown.count < liquidations.count, let last = shown.last {
            json.key("liquidationsTotal"); json.int(liquidations.count)
            json.key("liquidationsNext"); json.string(last.id)
        }
        json.key("mode"); json.string(mode.rawValue)
        json.endObject()
        return json.bytes
    }
}
