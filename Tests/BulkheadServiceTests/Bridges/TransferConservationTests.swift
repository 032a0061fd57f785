import Foundation
@testable import BulkheadService
import RiskEngine
import Testing

/// RISK.md "Bridges": for every asset, Σ balances over all segments + Σ pending = Σ deposits −
/// Σ withdrawals, exactly — here with 200 transfers in both directions between three segments,
/// run concurrently with fills, prices and withdrawals; and the same operations run serially
/// end with the same balances.
@Suite(.serialized) struct TransferConservationTests {
    enum Operation: Sendable {
        case transfer(account: String, from: String, to: String, amount: String)
        case withdraw(segment: String, account: String, amount: String)
        case fill(account: String, size: String, price: String)
        case price(String)
    }

    static let routes = [("majors", "stable"), ("stable", "majors"), ("majors", "alts")]

    /// 50 clients: 4 transfers each (200), and between them fills that open and close a
    /// balanced pair of positions, price ticks and withdrawals.
    static func script(client: Int) -> [Operation] {
        var operations: [Operation] = []
        let account = "alice-\(client % 10)"
        for step in 0..<4 {
            let (from, to) = routes[(client + step) % routes.count]
            let cents = (client * 7_919 + step * 104_729) % 5_000 + 1
            let amount = Amount(uncheckedRaw: Int128(cents) * 1_000_000 + Int128(client))  // e.g. 12.34000017
            operations.append(.transfer(account: account, from: from, to: to, amount: amount.formatted()))
            switch (client + step) % 4 {
            case 0:
                operations.append(.fill(account: "tb-\(client)-a", size: "0.01", price: "64000"))
                operations.append(.fill(account: "tb-\(client)-b", size: "-0.01", price: "64000"))
            case 1:
                operations.append(.price(["64000", "64010", "63990"][step % 3]))
            case 2:
                operations.append(.withdraw(segment: ["majors", "stable"][step % 2], account: account, amount: "-1.5"))
            default:
                break
            }
        }
        // Close the pairs at another price: realized PnL moves between the two, summing to 0.
        for step in 0..<4 where (client + step) % 4 == 0 {
            _ = step
            operations.append(.fill(account: "tb-\(client)-a", size: "-0.01", price: "64100"))
            operations.append(.fill(account: "tb-\(client)-b", size: "0.01", price: "64100"))
            break
        }
        return operations
    }

    struct Totals: Sendable {
        var deposits = Amount.zero
        var transfers = 0
        var unfinished = 0
    }

    static func prepare(_ service: TestService) async throws -> Amount {
        var deposits = Amount.zero
        for (segment, market, price) in [("majors", "BTC-USD", "64000"), ("alts", "SOL-USD", "150"), ("stable", "EUR-USD", "1.1")] {
            #expect(try await service.price(segment, [(market, price)]).status == 200)
        }
        for k in 0..<10 {
            for segment in ["majors", "stable"] {
                #expect(try await service.deposit(segment, "alice-\(k)", "USDC", "100000").status == 200)
                deposits = try deposits + Amount(100_000)
            }
        }
        for client in 0..<50 {
            for side in ["a", "b"] {
                #expect(try await service.deposit("majors", "tb-\(client)-\(side)", "USDC", "10000").status == 200)
                deposits = try deposits + Amount(10_000)
            }
        }
        return deposits
    }

    static func run(_ operation: Operation, on connection: TestHTTPClient, clock: ManualClock, totals: inout Totals) throws {
        func post(_ target: String, _ body: String, key: String = TestKeys.trader) throws -> TestResponse {
            try connection.request(
                "POST", target, headers: [("Authorization", "Bearer \(key)"), ("Content-Type", "application/json")], body: Array(body.utf8))
        }
        switch operation {
        case .transfer(let account, let from, let to, let amount):
            let response = try post("/v1/transfers", #"{"account":"\#(account)","from":"\#(from)","to":"\#(to)","asset":"USDC","amount":"\#(amount)"}"#)
            #expect(response.status == 200 && response.decision == "accepted", "\(response.text)")
            let state = response.transfer?["state"] as? String
            if state != "completed" && state != "refunded" { totals.unfinished += 1 }
            totals.transfers += 1
        case .withdraw(let segment, let account, let amount):
            let response = try post("/v1/segments/\(segment)/collateral", #"{"account":"\#(account)","asset":"USDC","amount":"\#(amount)"}"#)
            #expect(response.status == 200)
            if response.decision == "accepted" { totals.deposits = try totals.deposits + Amount(amount)! }
        case .fill(let account, let size, let price):
            let response = try post("/v1/segments/majors/positions", #"{"account":"\#(account)","market":"BTC-USD","size":"\#(size)","price":"\#(price)"}"#)
            #expect(response.status == 200 && response.decision == "accepted", "\(response.text)")
        case .price(let price):
            let body = #"{"prices":[{"market":"BTC-USD","price":"\#(price)","timestamp":"\#(clock.text)","source":"feed-a"}]}"#
            _ = try post("/v1/segments/majors/prices", body, key: TestKeys.oracle)
        }
    }

    /// Σ USDC over every account and insurance fund of the three segments.
    static func total(_ service: TestService) async throws -> (Amount, [String: [String: String]]) {
        var sum = Amount.zero
        var all: [String: [String: String]] = [:]
        for segment in ["alts", "majors", "stable"] {
            let balances = try await service.balances(segment)
            all[segment] = balances
            for value in balances.values { sum = try sum + Amount(value)! }
        }
        return (sum, all)
    }

    @Test func concurrentTransfersConserveValueExactlyAndMatchSerial() async throws {
        let concurrent = try await TestService.start()
        defer { Task { await concurrent.stop() } }
        let (initial, _) = try await Self.total(concurrent)
        let deposited = try await Self.prepare(concurrent)
        let port = concurrent.port, clock = concurrent.clock
        let totals = try await withThrowingTaskGroup(of: Totals.self) { group in
            for client in 0..<50 {
                let operations = Self.script(client: client)
                group.addTask {
                    try await onThread {
                        let connection = try TestHTTPClient(port: port)
                        var totals = Totals()
                        for operation in operations { try Self.run(operation, on: connection, clock: clock, totals: &totals) }
                        return totals
                    }
                }
            }
            var sum = Totals()
            for try await part in group {
                sum.deposits = try sum.deposits + part.deposits
                sum.transfers += part.transfers
                sum.unfinished += part.unfinished
            }
            return sum
        }
        #expect(totals.transfers == 200)
        #expect(totals.unfinished == 0)
        // Nothing pending: every segment's pending list is empty and the in-transit gauge is 0.
        for engine in concurrent.app.registry.all { #expect(await engine.segment.pendingTransfers.isEmpty) }
        let metrics = try await concurrent.call("GET", "/metrics").text
        #expect(metrics.contains(#"bulkhead_transfers_in_transit{asset="USDC"} 0"#))
        #expect(metrics.contains(#"bulkhead_transfers_total{from="majors",to="alts",asset="USDC",outcome="completed"}"#))
        let (after, concurrentBalances) = try await Self.total(concurrent)
        #expect(after == (try initial + deposited + totals.deposits))

        // The same operations, one at a time, in a fresh service: the same balances.
        let serial = try await TestService.start()
        defer { Task { await serial.stop() } }
        _ = try await Self.prepare(serial)
        let serialPort = serial.port, serialClock = serial.clock
        try await onThread {
            let connection = try TestHTTPClient(port: serialPort)
            var totals = Totals()
            for client in 0..<50 {
                for operation in Self.script(client: client) { try Self.run(operation, on: connection, clock: serialClock, totals: &totals) }
            }
        }
        let (serialTotal, serialBalances) = try await Self.total(serial)
        #expect(serialTotal == after)
        #expect(serialBalances == concurrentBalances)
    }
}
