/// The retained liquidation decisions as the snapshot's trailing section.
extension Segment {
    func writeLiquidationHistory(to w: inout ByteWriter) {
        let retained = liquidationLog[liquidationLogStart...]
        w.u32(UInt32(retained.count))
        for d in retained {
            w.u64(d.sequence)
            w.string(d.account)
            w.string(d.market)
            for amount in [
                d.sizeClosed, d.remainingSize, d.price, d.bankruptcyPrice, d.penalty, d.insuranceFundDelta,
                d.badDebt, d.socializedLoss, d.equityBefore, d.maintenanceMarginBefore,
            ] {
                w.amount(amount)
            }
            w.string(d.reason)
            w.time(d.timestamp)
        }
    }

    mutating func readLiquidationHistory(from r: inout ByteReader) throws(EngineError) {
        let count = try r.count(minSize: 8 + 4 + 4 + 10 * 16 + 4 + 8)
        var log: [LiquidationDecision] = []
        log.reserveCapacity(count)
        var previous: UInt64 = 0
        for _ in 0..<count {
            let sequence = try r.u64()
            guard sequence > previous, sequence <= liquidationSequence else { throw r.malformed("liquidation sequence") }
            previous = sequence
            let account = try r.string(maxLength: 64)
            let market = try r.string(maxLength: 64)
            var amounts: [Amount] = []
            for _ in 0..<10 { amounts.append(try r.amount()) }
            let reason = try r.string()
            let timestamp = try r.time()
            log.append(LiquidationDecision(
                sequence: sequence, segment: spec.id, account: account, market: market,
                sizeClosed: amounts[0], remainingSize: amounts[1], price: amounts[2], bankruptcyPrice: amounts[3],
                penalty: amounts[4], insuranceFundDelta: amounts[5], badDebt: amounts[6], socializedLoss: amounts[7],
                equityBefore: amounts[8], maintenanceMarginBefore: amounts[9], reason: reason, timestamp: timestamp))
        }
        liquidationLog = log
        liquidationLogStart = 0
    }
}
