import PropertyBased
import Testing
@testable import RiskEngine

/// Round once, at the end: the engine's figures are the exact sums rounded once, and its
/// decisions are those of an exact-decimal model.
@Suite struct ExactValuationTests {
    @Test func valuationMatchesExactModel() async {
        await propertyCheck(count: 500, input: exactBook) { book in
            let segment = book.segment()
            let context = ValuationContext(segment: segment, now: book.now)
            let account = book.account
            let model = ExactModel(context)
            guard let v = try? segment.valuation(account, context) else { Issue.record("valuation failed: \(book)"); return }
            #expect(v.equity == ExactModel.floor(model.equity(account)), "\(book)")
            #expect(v.maintenanceMargin == ExactModel.ceil(model.maintenance(account)), "\(book)")
            #expect(v.initialMargin == ExactModel.ceil(model.initial(account)), "\(book)")
            #expect(v.status == model.status(account), "\(book)")
        }
    }

    /// ETH collateral (0.5 at weight 0.9) and an ETH-USD long of 0.55, both at 1000.00000001:
    /// collateral 450.0000000045 and PnL 0.0000000055 (entry 1000) sum with the settlement
    /// −450.00000001 to exactly 0. Rounding each term down first gave −0.00000001: "bankrupt".
    @Test func equityExactlyZeroIsNotBankrupt() throws {
        var s = makeSegment()
        s.markets[1].index = 100_000_000_001
        s.markets[1].priceTime = t(0)
        var account = Account(id: "eve")
        account.settlement = -45_000_000_001
        account.setOther(0, 50_000_000, count: 1)
        account.positions = [Position(market: 1, holderSlot: -1, size: 55_000_000, entry: 100_000_000_000)]
        let v = try s.valuation(account, ValuationContext(segment: s, now: t(0)))
        #expect(v.equity == 0)
        #expect(v.collateral == -1 && v.unrealizedPnl == 0)  // each figure rounded once, on its own
        #expect(v.status == .liquidatable)  // E = 0 < MM = 27.50000001, but not E < 0
    }

    /// ETH 0.33333333 (weight 0.9) and an ETH-USD long of 3 from 2000, settlement 330.00000518;
    /// at 1800.00000007: collateral 539.999994621…, PnL −599.99999979, MM 270.0000000105, so the
    /// exact E − MM = +0.00000000049…: not liquidatable. Rounded terms (E 270.00000000 against
    /// MM 270.00000002) liquidated it.
    @Test func exactBoundaryIsNotLiquidated() throws {
        var s = makeSegment()
        try s.deposit("eve", "330.00000518")
        try s.deposit("eve", "0.33333333", asset: "ETH")
        s.price("ETH-USD", "2000", at: 0)
        #expect(try s.fill("eve", "ETH-USD", "3", "2000", at: 1).decision.isAccepted)
        let out = s.price("ETH-USD", "1800.00000007", at: 2)
        #expect(out.liquidations.isEmpty)
        let eve = s.summary("eve")
        #expect(eve.status == .atRisk)
        #expect(eve.balances.contains(AssetBalance(asset: "ETH", balance: a("0.33333333"))))
        // One tick lower the exact condition flips, and the engine liquidates.
        let lower = s.price("ETH-USD", "1800.00000006", at: 3)
        #expect(lower.liquidations.first?.account == "eve")
    }
}

/// The liquidation price is exactly where the engine liquidates.
@Suite struct LiquidationPriceTests {
    /// Over random books (several positions, ETH collateral priced by the same market as an
    /// ETH-USD position, maintenance ramps): at the returned price the engine's condition holds
    /// and one tick on the safe side it does not; `nil` exactly when no price liquidates.
    @Test func liquidationPriceIsExact() async {
        var checkedByModel = 0, withPrice = 0, nilPrices = 0
        await propertyCheck(count: 600, input: exactBook) { book in
            let segment = book.segment()
            let context = ValuationContext(segment: segment, now: book.now)
            let account = book.account
            guard let v = try? segment.valuation(account, context) else { return }
            let model = ExactModel(context)
            for p in account.positions {
                let m = Int(p.market)
                let price = segment.liquidationPrice(account, p, v, context)
                let slope = model.gap(account, market: m, price: 2 * Fixed.unit) - model.gap(account, market: m, price: Fixed.unit)
                func engineLiquidates(_ x: Int128) -> Bool {
                    var probe = context
                    probe.markets[m].price = x
                    return (try? segment.valuation(account, probe))?.isLiquidatable ?? false
                }
                guard let price else {
                    nilPrices += 1
                    // No positive price liquidates: E − MM never negative on (0, limit].
                    let atOne = model.gap(account, market: m, price: 1)
                    if slope >= 0 {
                        #expect(slope == 0 || atOne >= 0, "\(book) market \(m)")
                    } else {
                        // The root lies beyond the representable prices.
                        #expect(atOne / -slope + 1 > Amount.limitRaw, "\(book) market \(m)")
                    }
                    continue
                }
                withPrice += 1
                #expect(slope != 0)
                let safe: Int128 = slope > 0 ? 1 : -1
                #expect(engineLiquidates(price), "\(book) market \(m) price \(price)")
                if price + safe >= 1, price + safe <= Amount.limitRaw {
                    #expect(!engineLiquidates(price + safe), "\(book) market \(m) price \(price)")
                }
                if price < 100_000_000_000_000 {  // the model's Int128 products stay in range
                    checkedByModel += 1
                    #expect(model.gap(account, market: m, price: price) < 0, "\(book) market \(m)")
                    if price + safe >= 1 { #expect(model.gap(account, market: m, price: price + safe) >= 0, "\(book) market \(m)") }
                }
            }
        }
        #expect(withPrice > 300 && nilPrices > 20 && checkedByModel > 300)
    }

    /// The price the engine shows is the one at which a price batch liquidates (and one tick
    /// safer does not), through the real oracle and liquidation path, during a ramp too.
    @Test func liquidationPriceIsHonouredEndToEnd() async {
        var liquidated = 0
        await propertyCheck(count: 300, input: exactBook) { book in
            var segment = book.segment()
            let account = book.account
            guard !account.positions.isEmpty else { return }
            segment.commit(segment.accountSlot("acct"), account)
            let now = max(book.now, t(1))
            guard let summary = segment.marginSummary(account: "acct", at: now), summary.status != .liquidatable,
                  summary.status != .bankrupt else { return }
            for (p, shown) in zip(account.positions, summary.positions) {
                guard let price = shown.liquidationPrice else { continue }
                let context = ValuationContext(segment: segment, now: now)
                guard let slope = segment.liquidationSlope(account, p, context), slope != 0 else { continue }
                let safe = Amount(uncheckedRaw: slope > 0 ? 1 : -1)
                func liquidates(_ x: Amount) -> Bool {
                    var copy = segment
                    var out = copy.apply(PriceBatch(prices: [PriceInput(market: shown.market, price: x, timestamp: now, source: "feed-a")], arrival: now))
                    if out.rejected.first?.reason == .priceJump {
                        // A jump past maxJump is held until a second source confirms it (RISK.md "Oracle").
                        out = copy.apply(PriceBatch(prices: [PriceInput(market: shown.market, price: x, timestamp: now, source: "feed-b")], arrival: now))
                    }
                    guard out.rejected.isEmpty else { return false }
                    return out.liquidations.contains { $0.account == "acct" }
                }
                #expect(liquidates(price), "\(book) \(shown.market) at \(price)")
                if let safer = try? price + safe, safer.isPositive {
                    #expect(!liquidates(safer), "\(book) \(shown.market) at \(safer)")
                }
                liquidated += 1
            }
        }
        #expect(liquidated > 100)
    }

    /// ETH collateral valued by ETH-USD and an ETH-USD long: the denominator is
    /// q·(1 − MMF) + balance·weight = 2·0.95 + 1·0.9 = 2.8. alice: 1000 USDC + 1 ETH, long
    /// 2 ETH-USD at 2000 (index 2000): E = 1000 + 1800 = 2800, MM = 200 → 2000 − 2600/2.8 =
    /// 1071.42857142857… → the highest liquidating tick 1071.42857142.
    @Test func sameMarketCollateral() throws {
        var s = makeSegment(makeSpec(maxJump: "1000"))
        try s.deposit("alice", "1000")
        try s.deposit("alice", "1", asset: "ETH")
        s.price("ETH-USD", "2000", at: 0)
        try s.fill("alice", "ETH-USD", "2", "2000", at: 1)
        let price = try #require(s.summary("alice").positions[0].liquidationPrice)
        #expect(price == a("1071.42857142"))
        var copy = s
        #expect(copy.price("ETH-USD", "1071.42857143", at: 2).liquidations.isEmpty)
        #expect(s.price("ETH-USD", "1071.42857142", at: 2).liquidations.first?.account == "alice")
    }

    /// A short hedged by more ETH collateral than it sells liquidates when the price FALLS:
    /// γ = −1·1.05 + 2·0.9 = 0.75 > 0. bob: 100 USDC + 2 ETH, short 1 ETH-USD at 2000:
    /// E = 100 + 3600 = 3700, MM = 100 → 2000 − 3600/0.75 = −2800: no positive price.
    /// The closed form without the collateral term gave a price above the index, which the
    /// engine never honours.
    @Test func hedgedShortHasNoPriceAbove() throws {
        var s = makeSegment(makeSpec(maxJump: "1000"))
        try s.deposit("bob", "100")
        try s.deposit("bob", "2", asset: "ETH")
        s.price("ETH-USD", "2000", at: 0)
        try s.fill("bob", "ETH-USD", "-1", "2000", at: 1)
        #expect(s.summary("bob").positions[0].liquidationPrice == nil)
    }

    /// Sizes too large for the closed form's integers are still answered exactly (bisection
    /// on the engine's own condition).
    @Test func bisectionAgreesWithClosedForm() async {
        await propertyCheck(count: 200, input: exactBook) { book in
            let segment = book.segment()
            let context = ValuationContext(segment: segment, now: book.now)
            let account = book.account
            guard let v = try? segment.valuation(account, context) else { return }
            for p in account.positions {
                let m = Int(p.market)
                var probe = context
                let slope = ExactModel(context).gap(account, market: m, price: 2 * Fixed.unit) - ExactModel(context).gap(account, market: m, price: Fixed.unit)
                guard slope != 0 else { continue }
                let bisected = segment.bisectLiquidationPrice(from: context.markets[m].price, safeAbove: slope > 0) { x in
                    probe.markets[m].price = x
                    return (try? segment.valuation(account, probe))?.isLiquidatable
                }
                let closed = segment.liquidationPrice(account, p, v, context)
                #expect(bisected == closed, "\(book) market \(m)")
            }
        }
    }
}
