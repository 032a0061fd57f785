import PropertyBased
import Testing
@testable import RiskEngine

/// One random step of a scenario: kind (0–1 fill pair, 2 price move), two accounts, a size in
/// 0.0001 units and a price move in cents.
typealias Step = (kind: Int, i: Int, j: Int, ticks: Int, move: Int)

let stepGen = zip(Gen.int(in: 0...2), Gen.int(in: 0...3), Gen.int(in: 0...3), Gen.int(in: 1...2000), Gen.int(in: -50...50))
    .map { Step(kind: $0.0, i: $0.1, j: $0.2, ticks: $0.3, move: $0.4) }

/// Replays steps on a segment with four well-funded accounts trading X with each other
/// (balanced fills: both sides at the same price, or neither).
struct Scenario {
    var segment = makeSegment()
    var price: Int128 = 100 * Fixed.unit
    var time: Int64 = 0
    var deposits = a("4000000")

    init() {
        for i in 0..<4 { _ = try! segment.deposit("acct\(i)", "1000000") }
        segment.price("X", "100", at: 0)
    }

    func cents(_ raw: Int128) -> Amount { Amount(uncheckedRaw: raw) }

    /// Same-side increases of an open position are skipped: the rounded weighted-average entry
    /// would make the (exact) conservation check inexact by design.
    func increasesExisting(_ account: String, _ size: Amount) -> Bool {
        guard let p = segment.marginSummary(account: account)?.positions.first else { return false }
        return p.size.signum == size.signum
    }

    mutating func run(_ step: Step) throws {
        if step.kind == 2 {
            time += 1
            price = max(price + Int128(step.move) * 1_000_000, 50 * Fixed.unit)  // ± 0.50 per step
            segment.price("X", cents(price).formatted(), at: time)
            return
        }
        guard step.i != step.j else { return }
        let size = Amount(uncheckedRaw: Int128(step.ticks) * 10_000)  // 0.0001 units
        let a1 = "acct\(step.i)", a2 = "acct\(step.j)"
        guard !increasesExisting(a1, size), !increasesExisting(a2, size.negated) else { return }
        let fee = Amount(uncheckedRaw: Int128(step.ticks % 5) * 1_000_000)
        let f1 = FillCommand(account: a1, market: "X", size: size, price: cents(price), fee: fee, arrival: t(time))
        let f2 = FillCommand(account: a2, market: "X", size: size.negated, price: cents(price), arrival: t(time))
        guard try segment.check(f1).decision.isAccepted, try segment.check(f2).decision.isAccepted else { return }
        let r1 = try segment.apply(f1), r2 = try segment.apply(f2)
        #expect(r1.decision.isAccepted && r2.decision.isAccepted)
    }

    /// Σ equity over accounts + insurance fund. Exact here: sizes have ≤ 4 decimals and prices
    /// ≤ 2, so every product (PnL, notional) has ≤ 6 decimals and no rounding ever bites.
    var totalValue: Amount {
        var total = segment.view().insuranceFund
        for s in segment.marginSummaries(status: nil, after: nil, limit: 100) { total = try! total + s.equity }
        return total
    }
}

@Suite struct PropertyTests {
    @Test func valueIsConserved() async {
        await propertyCheck(count: 60, input: stepGen.array(of: 1...60)) { steps in
            var scenario = Scenario()
            let expected = try! scenario.deposits + a("100000")
            for step in steps {
                try? scenario.run(step)
                #expect(scenario.totalValue == expected)
            }
            #expect(scenario.segment.liquidations(after: 0, limit: 1).isEmpty)
        }
    }

    @Test func snapshotRoundTripPreservesState() async {
        await propertyCheck(count: 40, input: stepGen.array(of: 1...40)) { steps in
            var scenario = Scenario()
            for step in steps.dropLast(5) { try? scenario.run(step) }
            let bytes = scenario.segment.snapshot()
            guard let restored = try? Segment(snapshot: bytes) else { Issue.record("restore failed"); return }
            #expect(restored.stateHash == scenario.segment.stateHash)
            #expect(restored.snapshot() == bytes)
            // Both continue identically.
            var copy = scenario
            copy.segment = restored
            for step in steps.suffix(5) {
                try? scenario.run(step)
                try? copy.run(step)
            }
            #expect(copy.segment.stateHash == scenario.segment.stateHash)
        }
    }

    @Test func rejectedCommandsChangeNothingAndSegmentsAreIsolated() async {
        await propertyCheck(count: 100, input: Gen.int(in: -3_000_000...3_000_000), Gen.int(in: 1...20000)) { ticks, priceCents in
            var s = makeSegment(makeSpec(maxJump: "1000"))
            let other = makeSegment(makeSpec(id: "other"))
            let otherHash = other.stateHash
            _ = try? s.deposit("alice", "1000")
            s.price("X", "100", at: 0)
            let before = s.stateHash
            let fill = FillCommand(
                account: "alice", market: "X", size: Amount(uncheckedRaw: Int128(ticks) * 10_000),
                price: Amount(uncheckedRaw: Int128(priceCents) * 1_000_000), arrival: t(1))
            let checked = try? s.check(fill)
            #expect(s.stateHash == before)
            if let out = try? s.apply(fill) {
                #expect(out == checked)
                if !out.decision.isAccepted { #expect(s.stateHash == before) }
            } else {
                #expect(s.stateHash == before)
            }
            #expect(other.stateHash == otherHash)
        }
    }

    /// IM and MM never fall as |size| grows (same price, same side).
    @Test func marginIsMonotoneInSize() async {
        await propertyCheck(count: 100, input: Gen.int(in: 1...1_000_000), Gen.int(in: 1...1_000_000), Gen.bool) { x, y, short in
            var s = makeSegment()
            _ = try? s.deposit("alice", "100000000")
            s.price("BTC-USD", "64000.12", at: 0)
            func margins(_ ticks: Int) -> (Amount, Amount) {
                let size = Amount(uncheckedRaw: Int128(ticks) * (short ? -1 : 1) * 1000)
                let out = try! s.check(FillCommand(account: "alice", market: "BTC-USD", size: size, price: a("64000.12"), arrival: t(1)))
                return (out.account.initialMargin, out.account.maintenanceMargin)
            }
            let (small, large) = (min(x, y), max(x, y))
            let m1 = margins(small), m2 = margins(large)
            #expect(m1.0 <= m2.0 && m1.1 <= m2.1)
        }
    }

    @Test func commandCodecRoundTrips() async {
        let gen = zip(Gen.int(in: 0...3), Gen.int128(in: -Amount.limitRaw...Amount.limitRaw), Gen.int64(in: .min ... .max), Gen.letterOrNumber.string(of: 0...20))
        await propertyCheck(count: 200, input: gen) { kind, raw, nanos, text in
            let amount = Amount(uncheckedRaw: raw), time = Timestamp(nanoseconds: nanos)
            let command: EngineCommand = switch kind {
            case 0: .fill(FillCommand(account: text, market: "X", size: amount, price: amount, fee: amount, arrival: time))
            case 1: .collateral(CollateralCommand(account: text, asset: "USDC", amount: amount, arrival: time))
            case 2: .prices(PriceBatch(prices: [PriceInput(market: text, price: amount, timestamp: time, source: "s"), PriceInput(market: "Y", price: .one, timestamp: time, source: text)], arrival: time))
            default: .setModeOverride(raw % 2 == 0 ? nil : .halted, arrival: time)
            }
            let bytes = command.encoded()
            #expect((try? EngineCommand(decoding: bytes)) == command)
            // Every truncation and any trailing byte is rejected, never a trap.
            for n in 0..<bytes.count { #expect(throws: EngineError.self) { try EngineCommand(decoding: Array(bytes.prefix(n))) } }
            #expect(throws: EngineError.self) { try EngineCommand(decoding: bytes + [0]) }
        }
    }

    @Test func garbageBytesNeverTrap() async {
        await propertyCheck(count: 300, input: Gen.uint8(in: 0...255).array(of: 0...80)) { bytes in
            _ = try? EngineCommand(decoding: bytes)
            _ = try? EngineCommand(decoding: [1] + bytes)
            _ = try? Segment(snapshot: bytes)
            _ = try? Segment(snapshot: Segment.snapshotMagic + [1] + bytes)
        }
        // A valid snapshot with any single byte flipped either restores or throws.
        var s = makeSegment()
        _ = try? s.deposit("alice", "10")
        let bytes = s.snapshot()
        for i in bytes.indices {
            var copy = bytes
            copy[i] ^= 0xff
            _ = try? Segment(snapshot: copy)
        }
    }
}

@Suite struct ScenarioSanityTests {
    /// The property scenario really trades: open, move, partly close, flip.
    @Test func scenarioTrades() throws {
        var scenario = Scenario()
        let expected = try scenario.deposits + a("100000")
        for step: Step in [(0, 0, 1, 1500, 0), (2, 0, 0, 1, 37), (1, 1, 0, 500, 0), (2, 0, 0, 1, -50), (0, 1, 0, 2000, 0)] {
            try scenario.run(step)
            #expect(scenario.totalValue == expected)
        }
        // acct0: +0.15, then sells 0.05 to acct1, then sells 0.2 more: flips to −0.1.
        #expect(scenario.segment.summary("acct0").positions.first?.size == a("-0.1"))
        #expect(scenario.segment.summary("acct1").positions.first?.size == a("0.1"))
    }
}

@Suite struct FixedArithmeticTests {
    /// The fast 128/64 division agrees with the generic one in every direction.
    @Test func fastDivisionMatchesGeneric() async {
        await propertyCheck(count: 500, input: Gen.int128(in: (Int128.min / 2)...(Int128.max / 2)), Gen.bool) { x, wide in
            let d = wide ? Fixed.unit2 : Fixed.unit
            for rounding in [Rounding.up, .down, .towardZero] {
                #expect(Fixed.divide(x, by: d, rounding) == Amount.divide(x, by: d, rounding))
            }
        }
        for x: Int128 in [0, 1, -1, 99_999_999, -99_999_999, 100_000_000, -100_000_001, Int128(UInt64.max), -Int128(UInt64.max) * 7] {
            for rounding in [Rounding.up, .down, .towardZero] {
                #expect(Fixed.divide(x, by: Fixed.unit, rounding) == Amount.divide(x, by: Fixed.unit, rounding))
            }
        }
    }
}
