import Testing
@testable import RiskEngine

@Suite struct StressBookGeneratorTests {
    @Test func sameSeedSameBook() {
        let a1 = StressBookGenerator(accounts: 300, segments: 5, seed: 7).generate()
        let a2 = StressBookGenerator(accounts: 300, segments: 5, seed: 7).generate()
        let b = StressBookGenerator(accounts: 300, segments: 5, seed: 8).generate()
        #expect(StressHash.of(a1) == StressHash.of(a2))
        #expect(StressHash.of(a1) != StressHash.of(b))
    }

    @Test func bookIsRealistic() {
        let book = StressBookGenerator(accounts: 2000, segments: 6, seed: 42).generate()
        #expect(book.map(\.spec.id) == ["majors", "alts", "memes", "defi", "cosmos", "l2"])
        // Positions in every segment, several collateral assets held, accounts across segments.
        #expect(book.allSatisfy { $0.positionCount > 0 })
        var othersHeld = Set<String>()
        for s in book {
            for acct in s.accounts { for k in acct.others.indices where acct.others[k] > 0 { othersHeld.insert(s.collateralAssets[k].asset) } }
        }
        #expect(othersHeld.isSuperset(of: ["ETH", "BTC", "LUNA"]))
        var segmentsPerId: [String: Int] = [:]
        for s in book { for a in s.accounts.dropFirst() { segmentsPerId[a.id, default: 0] += 1 } }
        #expect(segmentsPerId.values.contains(3) && segmentsPerId.count <= 2000)
        // Basis traders: long ETH in one segment, short in another.
        func ethSize(_ s: Segment, _ id: String) -> Int128 {
            guard let i = s.accountIndex[id], let m = s.marketSlot("ETH-USD") else { return 0 }
            return s.accounts[Int(i)].size(market: m)
        }
        let hedged = segmentsPerId.keys.filter { id in
            let sizes = book.map { ethSize($0, id) }
            return sizes.contains { $0 > 0 } && sizes.contains { $0 < 0 }
        }
        #expect(hedged.count > 20)
        // Leverage: every account starts at E ≥ IM or close (fills passed the live check), some highly levered.
        let now = book.map(\.clock).max()!
        var levered = 0
        for s in book {
            let context = ValuationContext(segment: s, now: now)
            for a in s.accounts.dropFirst() {
                guard let v = s.safeValuation(a, context), v.equity > 0 else { continue }
                if v.notional > v.equity * 5 { levered += 1 }
            }
        }
        #expect(levered > 50)
    }

    @Test func parsesBookArgument() {
        let g = StressBookGenerator(book: "generated:100000:5:42")
        #expect(g?.accounts == 100_000 && g?.segments == 5 && g?.seed == 42)
        #expect(StressBookGenerator(book: "generated:0:5:42") == nil)
        #expect(StressBookGenerator(book: "generated:10:99:1") == nil)
        #expect(StressBookGenerator(book: "gen:10:5:1") == nil)
    }
}
