import Foundation

/// Client threads that keep sending durable writes to a cluster while instances die: each
/// write a collateral deposit of 1 USDC into an account of its own, under an
/// `Idempotency-Key` of its own, so its effect can be found (and counted) in the segment's
/// state afterwards. A write starts at the next instance in turn, follows `307` to the
/// owner, and is retried with the same key on `503`, `429` and on a connection that fails
/// (refused, reset by a kill, no answer): only a `200` acknowledges it.
///
/// Each thread pauses `pace` between writes and before a retry: that keeps the load modest
/// on a shared machine (a load generator's rate, not a synchronisation — nothing waits on it).
final class DurableWriteLoad: @unchecked Sendable {
    struct Write: Hashable {
        var segment: String
        var account: String
        var key: String
    }

    enum Outcome: Equatable {
        /// 200 with `"decision":"accepted"`: its effect must be in the state exactly once.
        case acknowledged
        /// Any other final answer (status), or none (0) before the load ended: its effect may
        /// be there at most once.
        case notAcknowledged(Int)
    }

    /// A `307` a writer followed.
    struct Redirect {
        var askedPort: Int
        var segment: String
        var owner: String
        var location: String
    }

    let ports: [Int]
    let segments: [String]
    let apiKey: String
    let run: String
    let pace: Double
    private let condition = NSCondition()
    private var stopping = false
    private var drainDeadline = Date.distantFuture
    private var running = 0
    private var outcomes: [Write: Outcome] = [:]
    private var acknowledgedBySegment: [String: Int] = [:]
    private var redirects: [Redirect] = []
    private var replays = 0
    private var retries: [Int: Int] = [:]
    /// The first final answers other than 200 (status and body), for the report.
    private var refusals: [String] = []

    init(ports: [Int], segments: [String], apiKey: String, run: String = String(UUID().uuidString.prefix(8)), pace: Double = 0.02) {
        self.ports = ports
        self.segments = segments
        self.apiKey = apiKey
        self.run = run
        self.pace = pace
    }

    func start(writers: Int) {
        condition.withLock { running = writers }
        for writer in 0..<writers {
            Thread.detachNewThread { self.write(as: writer) }
        }
    }

    /// Stops starting writes; a write under way keeps being retried for up to `drainSeconds`.
    /// True once every writer ended (within `drainSeconds` + 30 s).
    func stop(drainSeconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(drainSeconds + 30)
        return condition.withLock {
            stopping = true
            drainDeadline = Date().addingTimeInterval(drainSeconds)
            condition.broadcast()
            while running > 0 {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    func acknowledged(in segment: String) -> Int { condition.withLock { acknowledgedBySegment[segment] ?? 0 } }

    /// Every `307` followed so far.
    var redirectsFollowed: [Redirect] { condition.withLock { redirects } }

    var redirectCount: Int { condition.withLock { redirects.count } }

    /// Waits (up to `seconds`) until a writer, from the `index`-th redirect on, was sent by
    /// the instance on `port` to `owner` for `segment`: that instance's owner map shows the
    /// owner.
    func waitForRedirect(from index: Int, askedPort port: Int, segment: String, owner: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            var next = index
            while true {
                while next < redirects.count {
                    let redirect = redirects[next]
                    if redirect.askedPort == port && redirect.segment == segment && redirect.owner == owner { return true }
                    next += 1
                }
                if !condition.wait(until: deadline) { return false }
            }
        }
    }

    /// Acknowledgements that were an earlier attempt's stored answer (`Idempotent-Replayed`).
    var replayedAnswers: Int { condition.withLock { replays } }

    /// The first final answers other than 200 and 307 (status and body).
    var refusedAnswers: [String] { condition.withLock { refusals } }

    /// Attempts retried, by the status that made them retry (0: no answer).
    var retriesByStatus: [Int: Int] { condition.withLock { retries } }

    /// Waits until `segment` has `count` acknowledged writes (up to `seconds`).
    func waitForAcknowledged(_ count: Int, in segment: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        return condition.withLock {
            while (acknowledgedBySegment[segment] ?? 0) < count {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    // MARK: A writer

    private func write(as writer: Int) {
        var number = 0
        while !(condition.withLock { stopping }) {
            number += 1
            // Instance and segment turn at different rates: every pair is asked in turn.
            let write = Write(
                segment: segments[(writer + number / ports.count) % segments.count], account: "w\(writer)-\(number)",
                key: "\(run)-w\(writer)-\(number)")
            let outcome = send(write, startingAt: writer + number)
            condition.withLock {
                outcomes[write] = outcome
                if outcome == .acknowledged { acknowledgedBySegment[write.segment, default: 0] += 1 }
                condition.broadcast()
            }
            pause()
        }
        condition.withLock {
            running -= 1
            condition.broadcast()
        }
    }

    private func send(_ write: Write, startingAt first: Int) -> Outcome {
        let body = #"{"account":"\#(write.account)","asset":"USDC","amount":"1"}"#
        let target = "/v1/segments/\(write.segment)/collateral"
        var next = first
        var port = ports[next % ports.count]
        var last = 0
        var hops = 0
        while condition.withLock({ !stopping || Date() < drainDeadline }) {
            let response = try? ServeProcess.request(
                port: port, "POST", target, key: apiKey, body: body, headers: [("Idempotency-Key", write.key)], timeoutSeconds: 10)
            let status = response?.status ?? 0
            last = status
            switch status {
            case 200:
                guard let response, response.body.contains(#""decision":"accepted""#) else { return .notAcknowledged(200) }
                if response.header("Idempotent-Replayed") == "true" { condition.withLock { replays += 1 } }
                return .acknowledged
            case 307:
                let redirect = Redirect(
                    askedPort: port, segment: write.segment, owner: response?.header("Bulkhead-Owner") ?? "",
                    location: response?.header("Location") ?? "")
                condition.withLock {
                    redirects.append(redirect)
                    condition.broadcast()
                }
                // http://127.0.0.1:PORT/…: the owner's port.
                guard let parsed = Self.port(of: redirect.location) else { return .notAcknowledged(307) }
                port = parsed
                // Two maps a round apart may point at each other for a moment: no tight loop.
                hops += 1
                if hops % 3 == 0 { pause() }
            case 0, 503, 429:
                condition.withLock { retries[status, default: 0] += 1 }
                next += 1
                port = ports[next % ports.count]
                pause()
            default:
                condition.withLock { if refusals.count < 20 { refusals.append("\(write.segment) \(status) \(response?.body ?? "")") } }
                return .notAcknowledged(status)
            }
        }
        return .notAcknowledged(last)
    }

    /// `pace` seconds (the condition is broadcast on every outcome: wait out the whole time).
    private func pause() {
        let until = Date().addingTimeInterval(pace)
        condition.withLock {
            while Date() < until { _ = condition.wait(until: until) }
        }
    }

    static func port(of location: String) -> Int? {
        guard let url = URL(string: location), url.host == "127.0.0.1" else { return nil }
        return url.port
    }

    // MARK: Checking the effects

    /// Every write sent (or under way when the load stopped).
    var writes: [Write] { condition.withLock { Array(outcomes.keys) } }

    /// Acknowledged writes missing from `collateral` (account → collateral value), writes
    /// applied more than once, and accounts no write made.
    struct Verdict {
        var acknowledged = 0
        var notAcknowledged = 0
        var notAcknowledgedApplied = 0
        /// The last answer of each write not acknowledged (0: none).
        var notAcknowledgedStatuses: [Int: Int] = [:]
        var lost: [Write] = []
        var appliedTwice: [Write] = []
        var strangers: [String] = []
    }

    func verdict(collateral: [String: [String: String]]) -> Verdict {
        var verdict = Verdict()
        let outcomes = condition.withLock { self.outcomes }
        var expected: [String: Set<String>] = [:]
        for (write, outcome) in outcomes {
            expected[write.segment, default: []].insert(write.account)
            let value = collateral[write.segment]?[write.account]
            switch outcome {
            case .acknowledged:
                verdict.acknowledged += 1
                if value == nil { verdict.lost.append(write) }
            case .notAcknowledged(let status):
                verdict.notAcknowledged += 1
                verdict.notAcknowledgedStatuses[status, default: 0] += 1
                if value != nil { verdict.notAcknowledgedApplied += 1 }
            }
            if let value, value != "1" { verdict.appliedTwice.append(write) }
        }
        for (segment, accounts) in collateral.sorted(by: { $0.key < $1.key }) {
            verdict.strangers += accounts.keys.filter { !(expected[segment]?.contains($0) ?? false) }.sorted().map { "\(segment)/\($0)" }
        }
        return verdict
    }
}
