import PropertyBased
import Testing
@testable import RiskEngine

@Suite struct ReplayTests {
    /// Applying journaled (encoded → decoded) commands to a fresh segment reproduces the state
    /// bit for bit, liquidations and regime changes included.
    @Test func journalReplayIsExact() async {
        let gen = zip(Gen.int(in: 0...4), Gen.int(in: 0...4), Gen.int(in: -2000...2000), Gen.int(in: -15...15), Gen.int(in: 0...2))
        await propertyCheck(count: 30, input: gen.array(of: 1...60)) { steps in
            var live = makeSegment(makeSpec(insuranceFund: "300", maxJump: "0.5", minNotional: "50", volatility: ["1", "2", "4"]))
            var journal: [[UInt8]] = []
            var prices: [Int128] = [100, 50, 30].map { Int128($0) * Fixed.unit }
            let markets = ["X", "ETH-USD", "BTC-USD"]
            var time: Int64 = 0
            func record(_ command: EngineCommand) {
                journal.append(command.encoded())
                try? live.apply(command)
            }
            for (m, market) in markets.enumerated() {
                record(.prices(PriceBatch(prices: [PriceInput(market: market, price: Amount(uncheckedRaw: prices[m]), timestamp: t(0), source: "a")], arrival: t(0))))
            }
            for (kind, who, amount, move, m) in steps {
                switch kind {
                case 0:
                    record(.collateral(CollateralCommand(account: "u\(who)", asset: "USDC", amount: Amount(Int(amount.magnitude) + 1), arrival: t(time))))
                case 1, 2:
                    guard amount != 0 else { continue }
                    record(.fill(FillCommand(
                        account: "u\(who)", market: markets[m], size: Amount(uncheckedRaw: Int128(amount) * 1_000_000),
                        price: Amount(uncheckedRaw: prices[m]), fee: a("0.05"), arrival: t(time))))
                case 3:
                    time += 7
                    prices[m] = max(prices[m] + prices[m] * Int128(move) / 40, Fixed.unit)
                    record(.prices(PriceBatch(prices: [PriceInput(market: markets[m], price: Amount(uncheckedRaw: prices[m]), timestamp: t(time), source: "a")], arrival: t(time))))
                default:
                    record(.setModeOverride(who % 2 == 0 ? .halted : nil, arrival: t(time)))
                }
            }
            var replayed = makeSegment(makeSpec(insuranceFund: "300", maxJump: "0.5", minNotional: "50", volatility: ["1", "2", "4"]))
            for bytes in journal {
                guard let command = try? EngineCommand(decoding: bytes) else { Issue.record("undecodable"); return }
                try? replayed.apply(command)
            }
            #expect(replayed.stateHash == live.stateHash)
            #expect(replayed.liquidations(after: 0, limit: 10_000) == live.liquidations(after: 0, limit: 10_000))
        }
    }
}
