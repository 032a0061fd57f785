import Benchmark
import BulkheadService
import Foundation
import RiskEngine

// Hand-rolled strict JSON (what the service runs) against Foundation's JSONDecoder/JSONEncoder
// for the hot routes: decode a /positions and a /prices body, encode their answers.
// Run: cd Benchmarks && swift package benchmark --target ServiceJSONBenchmarks

let fillBody = Array(#"{"account":"alice","market":"BTC-USD","size":"0.5","price":"64000","fee":"3.2"}"#.utf8)
let pricesBody = Array(
    #"{"prices":[{"market":"BTC-USD","price":"64000.5","timestamp":"2026-11-24T17:00:00Z","source":"feed-a"},{"market":"ETH-USD","price":"3000.25","timestamp":"2026-11-24T17:00:00.123Z","source":"feed-a"}]}"#
        .utf8)
let arrival = Timestamp(seconds: 1_795_539_600)

/// Foundation's route: Codable with amounts as strings, then the same exact parsing.
struct FoundationFill: Codable {
    var account: String
    var market: String
    var size: String
    var price: String
    var fee: String?
}

struct FoundationPrices: Codable {
    struct Item: Codable {
        var market: String
        var price: String
        var timestamp: String
        var source: String
    }
    var prices: [Item]
}

struct FoundationPosition: Codable {
    var market, size, entryPrice, markPrice, notional, unrealizedPnl, initialMargin, maintenanceMargin: String
    var liquidationPrice: String?
}

struct FoundationSummary: Codable {
    var segment, account, collateralValue, unrealizedPnl, equity, initialMargin, maintenanceMargin, freeCollateral: String
    var marginRatio: String?
    var status: String
    var positions: [FoundationPosition]
}

struct FoundationFillAnswer: Codable {
    var decision: String
    var account: FoundationSummary
}

func foundationDecodeFill(_ decoder: JSONDecoder) throws -> FillCommand {
    let body = try decoder.decode(FoundationFill.self, from: Data(fillBody))
    return FillCommand(
        account: body.account, market: body.market, size: try Amount.parse(body.size), price: try Amount.parse(body.price),
        fee: try body.fee.map { try Amount.parse($0) } ?? .zero, arrival: arrival)
}

func foundationDecodePrices(_ decoder: JSONDecoder) throws -> PriceBatch {
    let body = try decoder.decode(FoundationPrices.self, from: Data(pricesBody))
    return PriceBatch(
        prices: try body.prices.map {
            PriceInput(market: $0.market, price: try Amount.parse($0.price), timestamp: Timestamp.parseRFC3339($0.timestamp)!, source: $0.source)
        }, arrival: arrival)
}

let summary = MarginSummary(
    segment: "majors", account: "alice", collateralValue: Amount("9996.8")!, unrealizedPnl: .zero, equity: Amount("9996.8")!,
    initialMargin: Amount(1600), maintenanceMargin: Amount(960), freeCollateral: Amount("8396.8")!, marginRatio: Amount("10.41333333"),
    status: .healthy,
    positions: [
        PositionSummary(
            market: "BTC-USD", size: Amount("0.5")!, entryPrice: Amount(64000), markPrice: Amount(64000), notional: Amount(32000),
            unrealizedPnl: .zero, initialMargin: Amount(1600), maintenanceMargin: Amount(960), liquidationPrice: Amount("45367.42268041"))
    ],
    balances: [])
let outcome = FillOutcome(decision: .accepted, account: summary)

func foundationAnswer() -> FoundationFillAnswer {
    FoundationFillAnswer(
        decision: "accepted",
        account: FoundationSummary(
            segment: summary.segment, account: summary.account, collateralValue: summary.collateralValue.formatted(),
            unrealizedPnl: summary.unrealizedPnl.formatted(), equity: summary.equity.formatted(),
            initialMargin: summary.initialMargin.formatted(), maintenanceMargin: summary.maintenanceMargin.formatted(),
            freeCollateral: summary.freeCollateral.formatted(), marginRatio: summary.marginRatio?.formatted(), status: summary.status.rawValue,
            positions: summary.positions.map {
                FoundationPosition(
                    market: $0.market, size: $0.size.formatted(), entryPrice: $0.entryPrice.formatted(), markPrice: $0.markPrice.formatted(),
                    notional: $0.notional.formatted(), unrealizedPnl: $0.unrealizedPnl.formatted(), initialMargin: $0.initialMargin.formatted(),
                    maintenanceMargin: $0.maintenanceMargin.formatted(), liquidationPrice: $0.liquidationPrice?.formatted())
            }))
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .throughput, .mallocCountTotal], maxDuration: .seconds(2))

    Benchmark("positions decode: hand-rolled") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try ServiceCodec.decodeFill(fillBody, arrival: arrival)) }
    }
    Benchmark("positions decode: Foundation JSONDecoder") { benchmark in
        let decoder = JSONDecoder()
        for _ in benchmark.scaledIterations { blackHole(try foundationDecodeFill(decoder)) }
    }
    Benchmark("prices decode: hand-rolled") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try ServiceCodec.decodePrices(pricesBody, arrival: arrival)) }
    }
    Benchmark("prices decode: Foundation JSONDecoder") { benchmark in
        let decoder = JSONDecoder()
        for _ in benchmark.scaledIterations { blackHole(try foundationDecodePrices(decoder)) }
    }
    Benchmark("positions answer encode: hand-rolled") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(ServiceCodec.encode(outcome)) }
    }
    Benchmark("positions answer encode: Foundation JSONEncoder") { benchmark in
        let encoder = JSONEncoder()
        for _ in benchmark.scaledIterations { blackHole(try encoder.encode(foundationAnswer())) }
    }
}
