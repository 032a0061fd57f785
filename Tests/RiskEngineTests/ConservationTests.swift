import PropertyBased
import Testing
@testable import RiskEngine

/// One random operation: kind, two accounts, a raw size (any of 8 decimals), a price move in
/// basis points and a raw jitter (so prices carry all 8 decimals).
typealias LedgerStep = (kind: Int, i: Int, j: Int, size: Int128, moveBp: Int, jitter: Int128)

let ledgerStepGen = zip(
    Gen.int(in: 0...7), Gen.int(in: 0...3), Gen.int(in: 0...3), Gen.int128(in: 1...3_000_000_000),
    Gen.int(in: -1500...1200), Gen.int128(in: 0...99_999_999)
).map { LedgerStep(kind: $0.0, i: $0.1, j: $0.2, size: $0.3, moveBp: $0.4, jitter: $0.5) }

/// RISK.md's invariant: Σ over all accounts including `@insurance` of (settlement + Σ uⱼ) plus
/// other collateral at value = net deposits, exactly — here with every rounding residual the
/// segment took (`roundingDust`, the sub-unit rest not yet handed to the fund) added back.
struct Ledger {
    var segment = makeSegment(makeSpec(insuranceFund: "20", maxJump: "0.5", maxPortion: "0.5", minNotional: "300"))
    var time: Int64 = 0
    /// Net USDC deposits (raw) including the fund's initial balance, and net ETH (raw).
    var usdc: Int128 = 20 * Fixed.unit
    var eth: Int128 = 0
    var decisions: [LiquidationDecision] { segment.liquidations(after: 0, limit: 100_000) }

    init() {
        segment.price("X", "100", at: 0)
        segment.price("ETH-USD", "2000", at: 0)
        for i in 0..<4 { deposit("acct\(i)", "USDC", Int128(300 + 400 * i) * Fixed.unit) }
        deposit("acct1", "ETH", 25_000_000)
        deposit("acct3", "ETH", 12_345_678)
    }

    mutating func deposit(_ account: String, _ asset: String, _ raw: Int128) {
        let out = try? segment.apply(CollateralCommand(account: account, asset: asset, amount: Amount(uncheckedRaw: raw), arrival: t(time)))
        guard out?.decision.isAccepted == true else { return }
        if asset == "ETH" { eth += raw } else { usdc += raw }
    }

    func index(_ market: String) -> Int128 { segment.indexPrice(market: market)?.raw ?? 0 }

    mutating func run(_ step: LedgerStep) {
        let market = step.kind % 2 == 0 ? "X" : "ETH-USD"
        switch step.kind {
        case 0, 1, 6:  // a balanced fill pair at the index ± jitter, with a fee
            guard step.i != step.j else { return }
            let price = Amount(uncheckedRaw: index(market) + step.jitter - 50_000_000)
            let size = Amount(uncheckedRaw: market == "X" ? step.size : step.size / 20)
            let fee = Amount(uncheckedRaw: step.jitter % 1_000_000)
            let f1 = FillCommand(account: "acct\(step.i)", market: market, size: size, price: price, fee: fee, arrival: t(time))
            let f2 = FillCommand(account: "acct\(step.j)", market: market, size: size.negated, price: price, arrival: t(time))
            guard (try? segment.check(f1).decision.isAccepted) == true, (try? segment.check(f2).decision.isAccepted) == true else { return }
            for fill in [f1, f2] {
                guard (try? segment.apply(fill)) != nil else { Issue.record("fill threw"); return }
            }
        case 2, 3, 7:  // a price move of the market, every digit used
            time += 1
            let moved = index(market) + index(market) * Int128(step.moveBp) / 10_000 + step.jitter % 1_000_000
            segment.apply(PriceBatch(
                prices: [PriceInput(market: market, price: Amount(uncheckedRaw: max(moved, Fixed.unit)), timestamp: t(time), source: "feed-a")],
                arrival: t(time)))
        case 4:
            deposit("acct\(step.i)", "ETH", step.size / 100)
        default:  // a withdrawal attempt
            let asset = step.j % 2 == 0 ? "USDC" : "ETH"
            let out = try? segment.apply(CollateralCommand(
                account: "acct\(step.i)", asset: asset, amount: Amount(uncheckedRaw: -step.size / 10), arrival: t(time)))
            if out?.decision.isAccepted == true {
                if asset == "ETH" { eth -= step.size / 10 } else { usdc -= step.size / 10 }
            }
        }
    }

    /// Σ exact value of every account (scale 10^-24) plus the segment's rounding dust.
    var totalValue: Int128 {
        let priceOf = segment.markets.map { $0.index ?? 0 }
        var total = segment.roundingDust
        for account in segment.accounts {
            total += account.settlement * ExactModel.scale
            total += account.other(0) * priceOf[1] * 90_000_000
            for p in account.positions { total += p.size * (priceOf[Int(p.market)] - p.entry) * Fixed.unit }
        }
        return total
    }

    var expectedValue: Int128 { usdc * ExactModel.scale + eth * index("ETH-USD") * 90_000_000 }
}

@Suite struct ConservationTests {
    /// Through fills with same-side increases, partial liquidations, bankruptcies, seizure of
    /// ETH, socialization and outstanding bad debt, value is neither created nor lost: the
    /// residuals rounding took sit in the segment (fund + dust), exactly.
    @Test func valueIsConservedThroughLiquidation() async {
        var partial = 0, bankrupt = 0, seized = 0, socialized = 0, increases = 0
        await propertyCheck(count: 150, input: ledgerStepGen.array(of: 1...80)) { steps in
            var ledger = Ledger()
            for step in steps {
                let before = ledger.segment.accounts.map(\.positions)
                ledger.run(step)
                let total = ledger.totalValue, expected = ledger.expectedValue
                #expect(total == expected, "after \(step): off by \(total - expected) (10^-24)")
                #expect(ledger.segment.roundingDust >= 0 && ledger.segment.roundingDust < ExactModel.scale)
                if zip(before, ledger.segment.accounts.map(\.positions)).contains(where: { old, new in
                    zip(old, new).contains { $0.market == $1.market && $0.size.signum() == $1.size.signum() && $1.size.magnitude > $0.size.magnitude }
                }) { increases += 1 }
            }
            partial += ledger.decisions.filter { $0.remainingSize != .zero }.count
            bankrupt += ledger.decisions.filter { $0.insuranceFundDelta.isNegative }.count
            socialized += ledger.decisions.filter { $0.socializedLoss.isPositive }.count
            if ledger.segment.accounts[0].other(0) > 0 { seized += 1 }
        }
        // The random books reach every branch of the waterfall.
        #expect(partial > 0 && bankrupt > 0 && seized > 0 && socialized > 0 && increases > 0,
                "partial \(partial) bankrupt \(bankrupt) seized \(seized) socialized \(socialized) increases \(increases)")
    }

    /// A same-side increase whose average entry must round: the holder's loss to rounding is
    /// the segment's gain, to the last 10^-24.
    @Test func averageEntryResidualGoesToTheSegment() throws {
        var s = makeSegment()
        try s.deposit("a", "100000")
        try s.deposit("b", "100000")
        s.price("X", "100", at: 0)
        try s.fill("a", "X", "1", "100", at: 1)
        try s.fill("b", "X", "-1", "100", at: 1)
        try s.fill("a", "X", "2", "100.00000001", at: 1)
        try s.fill("b", "X", "-2", "100.00000001", at: 1)
        // a: (1·100 + 2·100.00000001) / 3 = 100.00000000666… → up 100.00000001: a gave up
        // 3·100.00000001 − 300.00000002 = 0.00000001 of cost basis (one unit).
        #expect(s.summary("a").positions[0].entryPrice == a("100.00000001"))
        // b (short): entry down to 100.00000000: 300.00000002 − 3·100 = 0.00000002 given up.
        #expect(s.summary("b").positions[0].entryPrice == a("100.00000000"))
        let fund = s.accounts[0].settlement - 100_000 * Fixed.unit
        #expect(fund * ExactModel.scale + s.roundingDust == 3 * ExactModel.scale)
    }
}
