import PropertyBased
import Testing
@testable import RiskEngine

extension Segment {
    /// Internal bookkeeping agrees with the accounts: holder lists, cached holder sizes and
    /// entries, open interest totals and the id index.
    func bookkeepingIsConsistent() -> Bool {
        var long = [Int128](repeating: 0, count: markets.count), short = long
        for (i, account) in accounts.enumerated() {
            guard accountIndex[account.id] == Int32(i) else { return false }
            for p in account.positions {
                let m = Int(p.market), slot = Int(p.holderSlot)
                guard p.size != 0, slot >= 0, slot < markets[m].holders.count, markets[m].holders[slot] == Int32(i),
                    markets[m].holderSizes[slot] == p.size, markets[m].holderEntries[slot] == p.entry
                else { return false }
                if p.size > 0 { long[m] += p.size } else { short[m] -= p.size }
            }
        }
        for m in markets.indices {
            let market = markets[m]
            guard market.longSize == long[m], market.shortSize == short[m],
                market.holderSizes.count == market.holders.count, market.holderEntries.count == market.holders.count,
                market.holders.count == accounts.filter({ $0.positionIndex(market: Int32(m)) != nil }).count
            else { return false }
        }
        return accountIndex.count == accounts.count
    }
}

@Suite struct ChaosTests {
    /// Thinly funded accounts, one-sided fills and violent prices: liquidations, bankruptcies
    /// and bad debt happen; nothing traps, bookkeeping stays consistent, snapshots round-trip.
    @Test func violentScenariosKeepTheBooks() async {
        let gen = zip(Gen.int(in: 0...3), Gen.int(in: 0...5), Gen.int(in: -3000...3000), Gen.int(in: -20...20), Gen.int(in: 0...2))
        await propertyCheck(count: 40, input: gen.array(of: 1...50)) { steps in
            var s = makeSegment(makeSpec(insuranceFund: "500", maxJump: "0.5", minNotional: "50"))
            var prices: [Int128] = [100, 50, 30].map { Int128($0) * Fixed.unit }
            let markets = ["X", "ETH-USD", "BTC-USD"]
            for (m, market) in markets.enumerated() { s.price(market, Amount(uncheckedRaw: prices[m]).formatted(), at: 0) }
            var time: Int64 = 0
            for (kind, who, amount, move, m) in steps {
                let account = "u\(who)"
                switch kind {
                case 0:
                    _ = try? s.deposit(account, Amount(uncheckedRaw: Int128(amount.magnitude + 1) * Fixed.unit / 10).formatted(), at: time)
                case 1:
                    _ = try? s.deposit(account, "\(amount.magnitude % 5 + 1)", asset: "ETH", at: time)
                case 2:
                    guard amount != 0 else { continue }
                    _ = try? s.apply(FillCommand(
                        account: account, market: markets[m], size: Amount(uncheckedRaw: Int128(amount) * 1_000_000),
                        price: Amount(uncheckedRaw: prices[m]), fee: a("0.01"), arrival: t(time)))
                default:
                    time += 10
                    prices[m] = max(prices[m] + prices[m] * Int128(move) / 50, Fixed.unit / 100)
                    s.price(markets[m], Amount(uncheckedRaw: prices[m]).formatted(), at: time)
                }
                #expect(s.bookkeepingIsConsistent())
            }
            let restored = try? Segment(snapshot: s.snapshot())
            #expect(restored?.stateHash == s.stateHash)
            #expect(restored?.bookkeepingIsConsistent() == true)
            for summary in s.marginSummaries(status: nil, after: nil, limit: 100) {
                // After liquidations settle, nobody is left liquidatable with a fresh index.
                #expect(summary.status != .liquidatable || summary.positions.isEmpty == false)
            }
        }
    }
}

@Suite struct AdversarialTests {
    /// Extreme but well-formed inputs give errors or rejections, never traps.
    @Test func extremesNeverTrap() throws {
        var s = makeSegment(makeSpec(maxJump: "100000000"))
        let huge = "100000000000000000000000000"  // the Amount limit
        _ = try? s.deposit("alice", huge)
        _ = try? s.deposit("alice", "1", asset: "ETH")
        _ = try? s.deposit("bob", "1000")
        s.price("X", "1", at: 0)
        s.price("ETH-USD", "1", at: 0)
        _ = try? s.fill("alice", "X", "999999", "1", at: 1)
        _ = try? s.fill("bob", "X", "-100", "1", at: 1)
        for (i, p) in ["100000000", "10000000000000000", huge, "0.00000001", "1"].enumerated() {
            let accepted = s.price("X", p, at: 2 + Int64(i)).accepted.count
            s.price("ETH-USD", p, at: 2 + Int64(i))
            #expect(accepted == 1 || p == huge || p == "0.00000001")
            _ = s.marginSummaries(status: nil, after: nil, limit: 10)
            _ = s.view()
            _ = try? s.fill("alice", "X", "0.00000001", p, at: 2 + Int64(i))
            _ = try? s.fill("bob", "X", "-0.00000001", p, at: 2 + Int64(i))
            _ = try? s.deposit("alice", "-0.00000001", at: 2 + Int64(i))
        }
        #expect(s.bookkeepingIsConsistent())
        #expect((try? Segment(snapshot: s.snapshot()))?.stateHash == s.stateHash)
        // The periodic snapshot serializes once for both: the same bytes and hash as apart.
        let both = s.snapshotAndHash()
        #expect(both.bytes == s.snapshot())
        #expect(both.stateHash == s.stateHash)
    }
}
