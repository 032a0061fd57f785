import ServiceLifecycle

/// Runs the app under swift-service-lifecycle: on SIGTERM/SIGINT readiness turns "draining",
/// then the HTTP server drains in-flight requests and stops.
public struct BulkheadLifecycleService: Service {
    let app: BulkheadApp

    public init(app: BulkheadApp) {
        self.app = app
    }

    public func run() async throws {
        try await app.start()
        try? await gracefulShutdown()
        await app.shutdown()
    }
}
