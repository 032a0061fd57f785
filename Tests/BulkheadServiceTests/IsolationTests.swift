@testable import BulkheadService
import Testing

/// A crash in one segment changes no byte of another segment's answers (DESIGN.md: "a loss
/// in one segment must never reach another").
@Suite(.serialized) struct IsolationTests {
    /// Runs the same majors/stable script on `service`, interleaving `between` after each step.
    func script(_ service: TestService, between: (Int) async throws -> Void) async throws -> [String] {
        var bodies: [String] = []
        func record(_ response: TestResponse) {
            bodies.append("\(response.status) \(response.text)")
        }
        let steps: [(TestService) async throws -> TestResponse] = [
            { try await $0.deposit("majors", "m1", "USDC", "20000") },
            { try await $0.deposit("stable", "s1", "USDC", "5000") },
            { try await $0.price("majors", [("BTC-USD", "64000"), ("ETH-USD", "3000")]) },
            { try await $0.price("stable", [("EUR-USD", "1.1")]) },
            { try await $0.fill("majors", "m1", "BTC-USD", size: "1", price: "64000", fee: "5") },
            { try await $0.fill("stable", "s1", "EUR-USD", size: "100000", price: "1.1") },
            { try await $0.price("majors", [("BTC-USD", "60000")]) },
            { try await $0.price("stable", [("EUR-USD", "1.08")]) },
            { try await $0.call("GET", "/v1/segments/majors", key: TestKeys.reader) },
            { try await $0.call("GET", "/v1/segments/stable", key: TestKeys.reader) },
            { try await $0.call("GET", "/v1/segments/majors/accounts/m1", key: TestKeys.reader) },
            { try await $0.call("GET", "/v1/segments/stable/accounts?limit=10", key: TestKeys.reader) },
            { try await $0.call("GET", "/v1/segments/majors/liquidations", key: TestKeys.reader) },
        ]
        for (index, step) in steps.enumerated() {
            record(try await step(service))
            try await between(index)
            service.clock.advance(seconds: 1)
        }
        return bodies
    }

    @Test func crashInAltsChangesNothingElsewhere() async throws {
        let calm = try await TestService.start()
        defer { Task { await calm.stop() } }
        let stormy = try await TestService.start()
        defer { Task { await stormy.stop() } }

        let quiet = try await script(calm) { _ in }
        var altsLiquidations = 0
        let prices = ["150", "128", "110", "95", "82", "70", "60", "52", "45", "39", "34", "30", "26"]
        let loud = try await script(stormy) { index in
            switch index {
            case 0:
                _ = try await stormy.deposit("alts", "whale", "USDC", "30000")
                _ = try await stormy.deposit("alts", "minnow", "USDC", "500")
            case 1:
                _ = try await stormy.price("alts", [("SOL-USD", prices[0])])
            case 2:
                _ = try await stormy.fill("alts", "whale", "SOL-USD", size: "1900", price: "150")
                _ = try await stormy.fill("alts", "minnow", "SOL-USD", size: "-20", price: "150")
            default:
                let crash = try await stormy.price("alts", [("SOL-USD", prices[min(index - 2, prices.count - 1)])])
                altsLiquidations += (crash.json["liquidations"] as? [Any])?.count ?? 0
            }
        }
        #expect(altsLiquidations > 0, "the alts scenario must actually liquidate")
        #expect(quiet.count == loud.count)
        for (a, b) in zip(quiet, loud) {
            #expect(a == b)
        }
        for segment in ["majors", "stable"] {
            #expect(await calm.app.registry.engine(segment)!.stateHash() == stormy.app.registry.engine(segment)!.stateHash())
        }
        let alts = try await stormy.call("GET", "/v1/segments/alts", key: TestKeys.reader)
        #expect(alts.json["insuranceFund"] as? String != "25000", "\(alts.text)")
    }
}
