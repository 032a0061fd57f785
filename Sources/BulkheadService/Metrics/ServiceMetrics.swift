import HTTPServer
import CoreMetrics
import Journal
import Prometheus
import RiskEngine
import Synchronization

/// The service's metrics, recorded through swift-metrics into a Prometheus registry the app
/// owns (no global `MetricsSystem.bootstrap`, so tests can run many apps in one process).
public final class ServiceMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory
    private let requestSeries = Mutex(RequestSeriesTable())
    private let commitWait: CoreMetrics.Timer
    private let commitFailures: CoreMetrics.Counter
    /// Bridge transfer counters (#12).
    let transferCounters = TransferCounters()
    /// 429s by API key id (#17).
    let rateLimitCounters = RateLimitCounters()

    public init() {
        registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let buckets: [Duration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .seconds(1),
        ]
        factory.defaultDurationHistogramBuckets = buckets
        self.factory = factory
        commitWait = CoreMetrics.Timer(label: "bulkhead_journal_commit_wait_seconds", dimensions: [], factory: factory)
        commitFailures = CoreMetrics.Counter(label: "bulkhead_journal_commit_failures_total", dimensions: [], factory: factory)
    }

    /// One answered request. The series are looked up by a key built without allocating
    /// (this runs on every request); each is created once.
    func recordRequest(route: String, method: String, status: Int, nanoseconds: UInt64) {
        let series = requestSeries.withLock { table in
            let key = RequestSeriesKey(route: route, method: method, status: status)
            if let found = table.series[key] { return found }
            let timerKey = RequestSeriesKey(route: route, method: method, status: 0)
            let timer = table.timers[timerKey] ?? CoreMetrics.Timer(
                label: "bulkhead_http_request_duration_seconds", dimensions: [("route", route), ("method", method)],
                factory: factory)
            table.timers[timerKey] = timer
            let counter = CoreMetrics.Counter(
                label: "bulkhead_http_requests_total", dimensions: [("route", route), ("method", method), ("status", String(status))],
                factory: factory)
            let found = RequestSeries(counter: counter, timer: timer)
            table.series[key] = found
            return found
        }
        series.counter.increment()
        series.timer.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    /// An answer the transport gave on its own (malformed request, rate limit, deadline):
    /// counted with the application's answers under the route label "transport".
    func recordTransport(_ event: HTTPServerEvent) {
        let status: Int
        switch event {
        case .parseError(let code, _): status = code
        case .rateLimited:
            status = 429
            recordRateLimited(keyID: nil)
        case .timeout(let kind) where kind == "head" || kind == "body": status = 408
        default: return
        }
        recordRequest(route: "transport", method: "-", status: status, nanoseconds: 0)
    }

    /// Time a request waited for its journal batch to become durable (group commit + fsync).
    func recordCommitWait(nanoseconds: UInt64) {
        commitWait.recordNanoseconds(Int64(clamping: nanoseconds))
    }

    func recordCommitFailure() {
        commitFailures.increment()
    }

    /// Per-segment gauges, refreshed on each scrape from the segments' views.
    func update(segment view: SegmentView, inFlight: Int) {
        for mode in SegmentMode.allCases {
            gauge("bulkhead_segment_mode", [("segment", view.id), ("mode", mode.rawValue)]).record(mode == view.mode ? 1 : 0)
        }
        // Prometheus samples are floats: the exact amounts stay in the API; these are for graphs.
        gauge("bulkhead_segment_insurance_fund", [("segment", view.id)]).record(Self.sample(view.insuranceFund))
        gauge("bulkhead_segment_bad_debt", [("segment", view.id)]).record(Self.sample(view.badDebt))
        gauge("bulkhead_segment_open_interest_notional", [("segment", view.id)]).record(Self.sample(view.openInterestNotional))
        gauge("bulkhead_segment_accounts", [("segment", view.id)]).record(Double(view.accounts))
        gauge("bulkhead_segment_liquidations", [("segment", view.id)]).record(Double(view.liquidationCount))
        gauge("bulkhead_segment_in_flight", [("segment", view.id)]).record(Double(inFlight))
        for market in view.markets {
            gauge("bulkhead_market_open_interest", [("segment", view.id), ("market", market.id)]).record(Self.sample(market.openInterest))
        }
    }

    func gauge(_ name: String, _ labels: [(String, String)]) -> CoreMetrics.Gauge {
        CoreMetrics.Gauge(label: name, dimensions: labels, factory: factory)
    }

    /// The journal's counters (group commit batches and fsync'd commit latency), on scrape.
    func update(journal metrics: JournalMetrics) {
        gauge("bulkhead_journal_batches_committed", []).record(Double(metrics.batchesCommitted))
        gauge("bulkhead_journal_batches_failed", []).record(Double(metrics.batchesFailed))
        gauge("bulkhead_journal_entries_committed", []).record(Double(metrics.entriesCommitted))
        gauge("bulkhead_journal_last_batch_size", []).record(Double(metrics.lastBatchSize))
        gauge("bulkhead_journal_mean_batch_size", []).record(metrics.meanBatchSize)
        gauge("bulkhead_journal_last_commit_seconds", []).record(Double(metrics.lastCommitNanoseconds) / 1e9)
        gauge("bulkhead_journal_mean_commit_seconds", []).record(Double(metrics.meanCommitNanoseconds) / 1e9)
        gauge("bulkhead_journal_max_commit_seconds", []).record(Double(metrics.maxCommitNanoseconds) / 1e9)
        gauge("bulkhead_journal_pending_entries", []).record(Double(metrics.pendingEntries))
    }

    static func sample(_ amount: Amount) -> Double {
        Double(amount.formatted()) ?? 0
    }

    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}

/// One (route, method, status) of `bulkhead_http_requests_total`; a latency series is keyed
/// with status 0.
private struct RequestSeriesKey: Hashable {
    var route: String
    var method: String
    var status: Int
}

private struct RequestSeries {
    var counter: CoreMetrics.Counter
    var timer: CoreMetrics.Timer
}

private struct RequestSeriesTable {
    var series: [RequestSeriesKey: RequestSeries] = [:]
    var timers: [RequestSeriesKey: CoreMetrics.Timer] = [:]
}
