import PropertyBased
import Testing
@testable import RiskEngine

/// Invariants of the stress engine over generated books and random shocks.
@Suite struct StressPropertyTests {
    /// The twin starts with every valuation identical: per account id, equity and maintenance
    /// margin are the sums over its segment accounts, term for term; the fund is the sum.
    @Test func twinValuesLikeTheBook() async {
        await propertyCheck(count: 12, input: Gen.int(in: 0...1_000_000), Gen.int(in: 2...6)) { seed, segments in
            let book = StressBookGenerator(accounts: 120, segments: segments, seed: UInt64(seed)).generate()
            let now = book.map(\.clock).max()!
            let twin = MonolithicTwin(book: book, now: now).segment
            var equity: [String: Int128] = [:], mm: [String: Int128] = [:]
            for s in book {
                let context = ValuationContext(segment: s, now: now)
                for acct in s.accounts {
                    let v = s.safeValuation(acct, context)!
                    equity[acct.id, default: 0] += v.equity
                    mm[acct.id, default: 0] += v.maintenanceMargin
                }
            }
            let context = ValuationContext(segment: twin, now: now)
            #expect(twin.accounts.count == equity.count)
            for acct in twin.accounts {
                let v = twin.safeValuation(acct, context)!
                #expect(v.equity == equity[acct.id] && v.maintenanceMargin == mm[acct.id])
            }
        }
    }

    /// With a one-segment book the twin is that segment: both architectures report the same
    /// figures for any shock.
    @Test func oneSegmentBookGivesTheSameFiguresBothWays() async {
        await propertyCheck(count: 12, input: Gen.int(in: 0...1_000_000), Gen.int(in: -95...400)) { seed, percent in
            let book = StressBookGenerator(accounts: 150, segments: 1, seed: UInt64(seed)).generate()
            let change = Amount(fixed: Int128(percent) * Fixed.unit / 100)
            let report = try! StressRunner.run(book: book, scenario: StressScenario(shocks: [StressShock(market: "ETH-USD", change: change)]))
            var mono = report.monolithic!.total
            mono.segment = "majors"
            #expect(report.segmented.rows[0] == mono)
            #expect(report.capitalEfficiency.segmentedCollateralRequired == report.capitalEfficiency.monolithicCollateralRequired)
        }
    }

    /// A shock on one segment leaves every other segment's row at the untouched figures
    /// (contagion 0, every account unaffected), and the book's hash never moves.
    @Test func otherSegmentsAreUntouched() async {
        await propertyCheck(count: 10, input: Gen.int(in: 0...1_000_000), Gen.int(in: -90...300)) { seed, percent in
            let book = StressBookGenerator(accounts: 150, segments: 4, seed: UInt64(seed)).generate()
            let change = Amount(fixed: Int128(percent) * Fixed.unit / 100)
            let scenario = StressScenario(shocks: [StressShock(segment: "alts", market: "ETH-USD", change: change)])
            let report = try! StressRunner.run(book: book, scenario: scenario)
            #expect(report.stateHashBefore == report.stateHashAfter)
            for row in report.segmented.rows where row.segment != "alts" {
                let segment = book.first { $0.spec.id == row.segment }!
                #expect(row.contagionLoss == .zero && row.liquidationSteps == 0)
                #expect(row.accountsUnaffected == segment.accounts.count - 1)
            }
        }
    }
}
