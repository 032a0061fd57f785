import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The README walk-through through a client generated from openapi.yaml: every answer is
/// decoded by the generated types (a status the document does not list, a missing required
/// header or a field of the wrong shape fails the run). Dates use the runtime's own
/// ISO 8601 setting with fractional seconds; nothing here parses a date by hand.
///
///     swift run Walkthrough http://127.0.0.1:8080
@main
struct Walkthrough {
    static func main() async {
        let base = CommandLine.arguments.dropFirst().first ?? "http://127.0.0.1:8080"
        do {
            try await run(serverURL: URL(string: base)!)
            print("walk-through: every answer decoded through the generated types")
        } catch {
            print("walk-through FAILED: \(error)")
            exit(1)
        }
    }

    static func client(_ serverURL: URL, key: String?) -> Client {
        Client(
            serverURL: serverURL,
            configuration: Configuration(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(),
            middlewares: key.map { [BearerKey(key: $0)] } ?? [])
    }

    static func run(serverURL: URL) async throws {
        let anonymous = client(serverURL, key: nil)
        let oracle = client(serverURL, key: "dev-oracle-key")
        let trader = client(serverURL, key: "dev-trading-key")
        let reader = client(serverURL, key: "dev-read-key")

        // Probes and the segment list.
        _ = try await anonymous.healthz().ok.body.json
        let readiness = try await anonymous.readyz().ok.body.json
        try expectEqual(readiness.status, .ready, "readyz")
        let segments = try await reader.listSegments().ok.body.json.segments
        try expect(segments.contains { $0.id == "majors" } && segments.contains { $0.id == "alts" }, "majors and alts exist")
        step("probes and \(segments.count) segments")

        // 0. Without a key: 401 with its Bearer challenge and the error document.
        let denied = try await anonymous.getSegment(path: .init(segment: "majors"))
        guard case .unauthorized(let unauthorized) = denied else { throw WalkthroughFailure(description: "no key: \(denied)") }
        try expect(unauthorized.headers.wwwAuthenticate.hasPrefix("Bearer"), "WWW-Authenticate")
        try expectEqual(try unauthorized.body.json.error.code, "unauthorized", "401 code")
        step("no key: 401 unauthorized, WWW-Authenticate: \(unauthorized.headers.wwwAuthenticate)")

        // 1. The oracle posts BTC-USD at 64,000, timestamped on a whole second: the segment
        //    echoes it as priceTime, which must still have the one shape the decoder reads.
        let wholeSecond = Date(timeIntervalSince1970: Date().timeIntervalSince1970.rounded(.down))
        let opening = try await postPrice(oracle, "64000", at: wholeSecond).ok
        try expectEqual(opening.body.json.accepted.map(\.indexPrice), ["64000"], "accepted price")
        try expect(!opening.headers.xRequestId.isEmpty, "X-Request-Id")
        let priced = try await reader.getSegment(path: .init(segment: "majors")).ok.body.json
        let priceTime = priced.markets.first { $0.id == "BTC-USD" }?.priceTime?.value1
        try expectEqual(priceTime, wholeSecond, "priceTime")
        step("price 64000 accepted (X-Request-Id \(opening.headers.xRequestId)), priceTime \(wholeSecond)")

        // 2. Bob deposits 4,000 USDC.
        let deposit = try await trader.postCollateral(
            path: .init(segment: "majors"), body: .json(.init(account: "bob", asset: "USDC", amount: "4000"))
        ).ok.body.json
        try expectEqual(deposit.decision, .accepted, "deposit")
        try expectEqual(deposit.account.equity, "4000", "equity after the deposit")
        step("deposit 4000: equity \(deposit.account.equity), status \(deposit.account.status)")

        // 3. Bob buys 1 BTC at 64,000, with an Idempotency-Key; then the same request again.
        let fill = Operations.PostPosition.Input(
            path: .init(segment: "majors"), headers: .init(idempotencyKey: "bob-fill-1"),
            body: .json(.init(account: "bob", market: "BTC-USD", size: "1", price: "64000")))
        let bought = try await trader.postPosition(fill).ok
        let account = try bought.body.json.account
        try expectEqual(try bought.body.json.decision, .accepted, "fill")
        try expectEqual(account.initialMargin, "3200", "initial margin")
        try expectEqual(account.maintenanceMargin, "1920", "maintenance margin")
        try expectEqual(account.freeCollateral, "800", "free collateral")
        try expectEqual(account.positions.first?.liquidationPrice?.value1, "61855.67010309", "liquidation price")
        try expectEqual(bought.headers.idempotentReplayed, nil, "first answer is not a replay")
        let replayed = try await trader.postPosition(fill).ok
        try expectEqual(replayed.headers.idempotentReplayed, ._true, "Idempotent-Replayed")
        try expectEqual(try replayed.body.json, try bought.body.json, "the replay is the stored answer")
        step("fill 1 BTC: IM \(account.initialMargin), MM \(account.maintenanceMargin), liquidation price \(account.positions[0].liquidationPrice?.value1 ?? "null"); replay marked")

        //    A second buy would not fit: the pre-trade check says so and changes nothing.
        let check = try await trader.checkOrder(
            path: .init(segment: "majors"), body: .json(.init(account: "bob", market: "BTC-USD", size: "1", price: "64000"))
        ).ok.body.json
        try expectEqual(check.decision, .rejected, "pre-trade check")
        try expectEqual(check.reason, .insufficientMargin, "pre-trade reason")
        step("pre-trade check: rejected, \(check.reason?.rawValue ?? "?")")

        // 4. The price falls to 61,000: bob is liquidated in steps.
        let crash = try await postPrice(oracle, "61000").ok.body.json
        try expect(!crash.liquidations.isEmpty, "liquidations after the fall")
        let first = crash.liquidations[0]
        try expectEqual(first.sizeClosed, "-0.25", "first step's size")
        try expectEqual(first.penalty, "152.5", "first step's penalty")
        step("price 61000: \(crash.liquidations.count) liquidation steps, first at \(first.timestamp)")

        // 5. Read the decisions, bob's account and both segments afterwards.
        let history = try await reader.listLiquidations(path: .init(segment: "majors")).ok.body.json
        try expectEqual(history.liquidations.map(\.id), crash.liquidations.map(\.id), "history")
        try expectEqual(history.liquidations.map(\.timestamp), crash.liquidations.map(\.timestamp), "decision times")
        let after = try await reader.getAccount(path: .init(segment: "majors", account: "bob")).ok.body.json
        try expectEqual(after.positions.first?.size, "0.31036129", "position left")
        let page = try await reader.listAccounts(path: .init(segment: "majors"), query: .init(limit: 10)).ok.body.json
        try expect(page.accounts.contains { $0.account == "bob" }, "bob in the account page")
        let majors = try await reader.getSegment(path: .init(segment: "majors")).ok.body.json
        let btc = majors.markets.first { $0.id == "BTC-USD" }
        try expectEqual(btc?.indexPrice?.value1, "61000", "index price")
        try expect(btc?.priceTime?.value1 != nil, "price time decoded")
        let alts = try await reader.getSegment(path: .init(segment: "alts")).ok.body.json
        try expectEqual(alts.mode, .normal, "alts mode")
        step("history of \(history.liquidations.count), bob holds \(after.positions.first?.size ?? "0"), alts still \(alts.mode.rawValue)")

        // 6. Bridges: carol moves 100 USDC from majors to stable over the configured bridge.
        let admin = client(serverURL, key: "dev-admin-key")
        let bridges = try await admin.listBridges().ok.body.json.bridges
        try expect(bridges.contains { $0.from == "majors" && $0.to == "stable" && $0.state == .open }, "majors → stable open")
        _ = try await trader.postCollateral(
            path: .init(segment: "majors"), body: .json(.init(account: "carol", asset: "USDC", amount: "1000"))
        ).ok.body.json
        let moved = try await trader.postTransfer(
            headers: .init(idempotencyKey: "carol-move-1"),
            body: .json(.init(account: "carol", from: "majors", to: "stable", asset: "USDC", amount: "100"))
        ).ok.body.json
        try expectEqual(moved.decision, .accepted, "transfer")
        guard let transfer = moved.transfer else { throw WalkthroughFailure(description: "no transfer record") }
        try expectEqual(transfer.state, .completed, "transfer state")
        let record = try await admin.getTransfer(path: .init(transfer: transfer.id)).ok.body.json
        try expectEqual(record.timestamp, transfer.timestamp, "transfer time read back")
        step("\(bridges.count) bridges; transfer \(transfer.id) \(transfer.state.rawValue) at \(transfer.timestamp)")

        // An error answer decodes too: an unknown account is 404 with the error document.
        let missing = try await reader.getAccount(path: .init(segment: "majors", account: "nobody"))
        guard case .notFound(let notFound) = missing else { throw WalkthroughFailure(description: "unknown account: \(missing)") }
        try expectEqual(try notFound.body.json.error.code, "unknown_account", "404 code")
        step("unknown account: 404 unknown_account")
    }

    static func postPrice(_ oracle: Client, _ price: String, at time: Date = Date()) async throws -> Operations.PostPrices.Output {
        try await oracle.postPrices(
            path: .init(segment: "majors"),
            body: .json(.init(prices: [.init(market: "BTC-USD", price: price, timestamp: time, source: "feed-a")])))
    }
}
