import HTTPServer
import HTTPWire

/// Starts a server on an ephemeral loopback port for one test and stops it afterwards.
func withServer(
    gate: Gate = Gate(),
    configure: (inout HTTPServerConfiguration) -> Void = { _ in },
    _ body: (_ port: Int, _ server: HTTPServer) async throws -> Void
) async throws {
    var configuration = HTTPServerConfiguration()
    configuration.port = 0
    configuration.eventLoops = 1
    configuration.gzipMinimumBytes = nil
    // Deadlines far beyond any test's run: a client task starved by a busy machine must not
    // meet a deadline it is not testing. Tests of a deadline set their own, short one.
    configuration.requestHeadTimeoutSeconds = 120
    configuration.bodyIdleTimeoutSeconds = 120
    configuration.writeStallTimeoutSeconds = 120
    configure(&configuration)
    let server = HTTPServer(configuration: configuration, responder: TestResponder(gate: gate))
    let port = try server.start()
    do {
        try await body(port, server)
    } catch {
        gate.open()
        await server.shutdown(gracePeriodSeconds: 0)
        throw error
    }
    gate.open()
    await server.shutdown(gracePeriodSeconds: 0)
}
