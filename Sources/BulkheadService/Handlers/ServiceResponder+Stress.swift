import Foundation  // Thread: a run's CPU work stays off the cooperative pool
import RiskEngine

extension ServiceResponder {
    /// `POST /v1/stress` (role `read` on every segment of the book; API.md "Stress"). Each
    /// segment's actor hands out its state as a value (copy-on-write: the actor is held for
    /// reference-count bumps, not for bytes), then the scenario runs on a thread of its own,
    /// off the actors and the cooperative pool, so live commands go on meanwhile. The run
    /// only ever mutates its copies: the report's hashes before and after prove it.
    func postStress(_ context: RequestContext) async throws(APIError) -> Reply {
        guard let principal = context.principal else { throw .internalError("route without a key") }
        let body = try context.jsonBody()
        let request: StressRequest
        do {
            request = try StressRequest(json: body)
        } catch {
            throw .stressRequest(error)
        }
        // The book: the segments named, else every segment in the key's scope. Read is needed
        // on the book and on every segment a shock names (403 before any existence check).
        let ids = request.scenario.segments.map { Array(Set($0)).sorted() } ?? registry.ids.filter { principal.covers(segment: $0) }
        let named = request.scenario.steps.flatMap { $0.compactMap(\.segment) }
        _ = try authorize(context, .read, segments: Array(Set(ids + named)).sorted())
        var engines: [SegmentEngine] = []
        for id in ids { engines.append(try engine(id)) }
        // A shock naming a segment that does not exist is 404 like the book's; one that
        // exists outside the book is the engine's 422 `segment_not_in_book`.
        for id in Set(named).sorted() where registry.engine(id) == nil { throw .unknownSegment(id) }

        guard stressRuns.enter() else { throw .stressBusy(stressRuns.limit, retryAfter: settings.busyRetryAfterSeconds) }
        defer { stressRuns.leave() }
        var taken: [Segment] = []
        for engine in engines { taken.append(await engine.stressCopy()) }
        let book = taken
        var chosen = request.scenario
        chosen.segments = nil  // the book is already chosen
        let scenario = chosen
        let limits = StressLimits(maxSteps: settings.stressMaxSteps, maxPositions: settings.stressMaxPositions)
        let clock = elapsedClock
        let deadline = clock.nanoseconds() &+ UInt64(settings.stressTimeoutSeconds * 1e9)
        let now = registry.environment.clock.now()
        let result = await Self.runOffPool { () -> Result<StressReport, StressError> in
            Result { () throws(StressError) -> StressReport in
                try StressRunner.run(book: book, scenario: scenario, limits: limits, at: now, isCancelled: { clock.nanoseconds() >= deadline })
            }
        }
        switch result {
        case .success(let report):
            var json = JSONWriter(capacity: 4096)
            report.writeJSON(to: &json)
            return Reply(status: 200, body: json.bytes)
        case .failure(let error):
            throw .stress(error, timeoutSeconds: settings.stressTimeoutSeconds, retryAfter: settings.busyRetryAfterSeconds)
        }
    }

    /// Runs CPU-bound work on a dedicated thread: seconds of simulation must not hold one of
    /// the cooperative pool's few threads, which the segment actors run on.
    static func runOffPool<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            let thread = Thread { continuation.resume(returning: work()) }
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}
