import Testing
@testable import RiskEngine

@Suite struct MarginTests {
    /// API.md's MarginSummary example, by hand:
    /// deposit 10000; long 0.5 BTC at 64000; index 63759.
    /// uPnL = 0.5·(63759 − 64000) = −120.5; equity = 10000 − 120.5 = 9879.5
    /// notional = 0.5·63759 = 31879.5; IM = 31879.5·0.05 = 1593.975; MM = 31879.5·0.03 = 956.385
    /// free = 9879.5 − 1593.975 = 8285.525; ratio = 9879.5 / 956.385 = 10.33004490(8…) → down
    @Test func apiExampleSummary() throws {
        var s = makeSegment()
        try s.deposit("alice", "10000")
        s.price("BTC-USD", "64000", at: 0)
        let outcome = try s.fill("alice", "BTC-USD", "0.5", "64000", at: 1)
        #expect(outcome.decision == .accepted)
        s.price("BTC-USD", "63759", at: 2)
        let m = s.summary("alice")
        #expect(m.collateralValue == a("10000"))
        #expect(m.unrealizedPnl == a("-120.5"))
        #expect(m.equity == a("9879.5"))
        #expect(m.initialMargin == a("1593.975"))
        #expect(m.maintenanceMargin == a("956.385"))
        #expect(m.freeCollateral == a("8285.525"))
        #expect(m.marginRatio == a("10.33004490"))
        #expect(m.status == .healthy)
        let p = try #require(m.positions.first)
        #expect(p.market == "BTC-USD" && p.size == a("0.5") && p.entryPrice == a("64000") && p.markPrice == a("63759"))
        #expect(p.notional == a("31879.5") && p.unrealizedPnl == a("-120.5"))
        #expect(p.initialMargin == a("1593.975") && p.maintenanceMargin == a("956.385"))
        // Closed form: 63759 − (9879.5 − 956.385) / (0.5·(1 − 0.03)) = 45360.824742268…;
        // the engine's value is within a few ticks of it (exactness is proved below).
        let liq = try #require(p.liquidationPrice)
        #expect((liq.raw - a("45360.82474226").raw).magnitude <= 3)
        #expect(m.balances == [AssetBalance(asset: "USDC", balance: a("10000"))])
    }

    /// The returned liquidation price is exactly where the engine liquidates: an index at it
    /// liquidates; one tick better for the holder does not.
    @Test(arguments: ["0.5", "-0.5"])
    func liquidationPriceIsHonoured(size: String) throws {
        var s = makeSegment(makeSpec(maxJump: "0.9"))
        try s.deposit("alice", "10000")
        s.price("BTC-USD", "64000", at: 0)
        try s.fill("alice", "BTC-USD", size, "64000", at: 1)
        let liq = try #require(s.summary("alice").positions[0].liquidationPrice)
        let better = Amount(uncheckedRaw: liq.raw + (size.hasPrefix("-") ? -1 : 1))
        var atPrice = s
        let hit = atPrice.price("BTC-USD", liq.formatted(), at: 2)
        #expect(hit.liquidations.first?.account == "alice")
        var atBetter = s
        let miss = atBetter.price("BTC-USD", better.formatted(), at: 2)
        #expect(miss.liquidations.isEmpty)
        #expect(atBetter.summary("alice").status != .liquidatable)
    }

    @Test func liquidationPriceIsNilWhenNoPriceCanLiquidate() throws {
        var s = makeSegment()
        try s.deposit("alice", "100000")
        s.price("BTC-USD", "64000", at: 0)
        // Long 0.5 with 100000 of equity: the closed form is below zero.
        try s.fill("alice", "BTC-USD", "0.5", "64000", at: 1)
        #expect(s.summary("alice").positions[0].liquidationPrice == nil)
    }

    /// Two positions: IM and MM are sums of per-position terms, each rounded up once.
    /// X: 3 at 33.33333333 → notional 99.99999999, IM = 4.9999999995 → 5.00000000 (up)
    @Test func perPositionRoundingIsUp() throws {
        var s = makeSegment()
        try s.deposit("bob", "1000")
        s.price("X", "33.33333333", at: 0)
        try s.fill("bob", "X", "3", "33.33333333", at: 1)
        let m = s.summary("bob")
        #expect(m.initialMargin == a("5"))
        // MM = 99.99999999·0.03 = 2.9999999997 → 3.00000000
        #expect(m.maintenanceMargin == a("3"))
        #expect(m.positions[0].notional == a("99.99999999"))
    }

    /// Other collateral counts at balance·weight·price, rounded down:
    /// 2 ETH · 0.9 · 3000.00000001 = 5400.000000018 → 5400.00000001
    @Test func otherCollateralIsWeightedAndRoundedDown() throws {
        var s = makeSegment()
        s.price("ETH-USD", "3000.00000001", at: 0)
        try s.deposit("carol", "2", asset: "ETH", at: 1)
        let m = s.summary("carol")
        #expect(m.collateralValue == a("5400.00000001"))
        #expect(m.marginRatio == nil)
        #expect(m.balances == [AssetBalance(asset: "ETH", balance: a("2")), AssetBalance(asset: "USDC", balance: .zero)])
    }

    /// OI scaling (dYdX): IMF rises linearly from 0.05 to 1 between lower and upper OI notional.
    /// OI 10 BTC at 60000 = 600000 notional, lower 500000, upper 1500000:
    /// IMF = 0.05 + 0.95·(100000/1000000) = 0.145
    @Test func openInterestScalingRaisesIMF() throws {
        var s = makeSegment(makeSpec(scaling: OpenInterestScaling(lower: a("500000"), upper: a("1500000"))))
        try s.deposit("a1", "1000000")
        try s.deposit("a2", "1000000")
        s.price("BTC-USD", "60000", at: 0)
        try s.fill("a1", "BTC-USD", "10", "60000", at: 1)
        try s.fill("a2", "BTC-USD", "-10", "60000", at: 1)
        let view = s.view()
        #expect(view.markets[0].initialMarginFraction == a("0.145"))
        #expect(view.markets[0].maintenanceMarginFraction == a("0.03"))
        #expect(view.markets[0].openInterest == a("10"))
        // IM = 600000·0.145 = 87000
        #expect(s.summary("a1").initialMargin == a("87000"))
    }

    @Test func unknownAccountHasNoSummary() {
        let s = makeSegment()
        #expect(s.marginSummary(account: "nobody") == nil)
        #expect(s.marginSummary(account: "@insurance") == nil)
    }

    @Test func summariesArePagedInIdOrderAndFiltered() throws {
        var s = makeSegment()
        for id in ["d", "b", "a", "c"] { try s.deposit(id, "10") }
        #expect(s.marginSummaries(status: nil, after: nil, limit: 10).map(\.account) == ["a", "b", "c", "d"])
        #expect(s.marginSummaries(status: nil, after: "b", limit: 1).map(\.account) == ["c"])
        #expect(s.marginSummaries(status: .liquidatable, after: nil, limit: 10).isEmpty)
        #expect(s.view().accounts == 4)
        #expect(s.view().insuranceFund == a("100000"))
    }
}

@Suite struct PagingTests {
    @Test func pagesWalkEveryAccountOnceInOrder() throws {
        var s = makeSegment()
        let ids = (0..<57).map { "acct-\(($0 * 37) % 57)" }
        for id in ids { try s.deposit(id, "1") }
        var seen: [String] = []
        var after: String?
        while true {
            let page = s.marginSummaries(status: nil, after: after, limit: 10)
            if page.isEmpty { break }
            seen += page.map(\.account)
            after = page.last?.account
        }
        #expect(seen == ids.sorted())
        #expect(s.marginSummaries(status: .healthy, after: nil, limit: 1000).count == 57)
    }
}
