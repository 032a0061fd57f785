import HTTPServer
import Testing

/// Behaviour decided before any request is parsed: caps, deadlines, shutdown.
@Suite struct ConnectionLimitTests {
    @Test func connectionCapAnswers503WithRetryAfterAndCloses() async throws {
        try await withServer(configure: { $0.maxConnections = 1; $0.retryAfterSeconds = 3 }) { port, server in
            // One loop accepts in backlog order: the first is admitted, the second refused.
            let first = try RawClient(port: port)
            let second = try RawClient(port: port)
            let response = try await second.readResponse()
            #expect(response.status == 503)
            #expect(response.header("retry-after") == "3")
            #expect(response.header("connection") == "close")
            #expect(response.text.contains(#""code":"connection_limit""#))
            #expect(await second.waitForClose())
            #expect(server.statistics.rejectedConnections == 1)
            _ = first
        }
    }

    /// One loop wakes for a burst of connects (EPOLLEXCLUSIVE) and accepts them all; it hands
    /// each to the least loaded loop, so every loop serves a share. Deterministic: the
    /// counts are updated at accept time, before any connection reaches its loop.
    @Test func acceptedConnectionsAreSpreadOverTheLoops() async throws {
        try await withServer(configure: { $0.eventLoops = 3 }) { port, server in
            var clients: [RawClient] = []
            for _ in 0..<30 { clients.append(try RawClient(port: port)) }
            for client in clients {
                client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
                #expect(try await client.readResponse().status == 200)  // served, on whichever loop
            }
            let counts = server.connectionsPerLoop
            #expect(counts.count == 3)
            #expect(counts.reduce(0, +) == 30)
            #expect(counts.max()! - counts.min()! <= 1, "\(counts)")
            for client in clients { client.close() }
        }
    }

    @Test func perAddressCapAnswers429() async throws {
        try await withServer(configure: { $0.maxConnectionsPerAddress = 1 }) { port, _ in
            let first = try RawClient(port: port)
            let second = try RawClient(port: port)
            let response = try await second.readResponse()
            #expect(response.status == 429)
            #expect(response.header("retry-after") != nil)
            #expect(response.text.contains("address_connection_limit"))
            #expect(await second.waitForClose())
            _ = first
        }
    }

    @Test func silentConnectionIsClosedAtTheHeadDeadline() async throws {
        try await withServer(configure: { $0.requestHeadTimeoutSeconds = 0.2 }) { port, server in
            let client = try RawClient(port: port)
            #expect(await client.waitForClose(allowData: false))
            #expect(server.statistics.timeouts == 1)
        }
    }

    @Test func slowHeadGets408AndClose() async throws {
        try await withServer(configure: { $0.requestHeadTimeoutSeconds = 0.2 }) { port, _ in
            let client = try RawClient(port: port)
            client.send("GET / HTTP/1.1\r\nHost: x\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 408)
            #expect(response.text.contains("request_timeout"))
            #expect(await client.waitForClose())
        }
    }

    @Test func shutdownClosesIdleConnectionsAndStops() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 2
        let server = HTTPServer(configuration: configuration, responder: TestResponder())
        let port = try server.start()
        #expect(server.localPort == port)
        let client = try RawClient(port: port)
        await server.shutdown(gracePeriodSeconds: 5)
        #expect(await client.waitForClose())
        await server.waitUntilStopped()
        #expect(server.statistics.openConnections == 0)
        // The listener is closed: a connect is refused, or (when a parallel test's server has
        // since bound the freed port) reaches a server that is not this one.
        let accepted = server.statistics.acceptedConnections
        if let late = try? RawClient(port: port) {
            late.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            _ = try? await late.readResponse()
            late.close()
        }
        #expect(server.statistics.acceptedConnections == accepted)
    }

    @Test func waitUntilStoppedReturnsForAServerNeverStarted() async {
        let server = HTTPServer(configuration: HTTPServerConfiguration(), responder: TestResponder())
        await server.waitUntilStopped()
    }

    @Test func bindingAPortInUseFails() async throws {
        try await withServer { port, _ in
            var configuration = HTTPServerConfiguration()
            configuration.port = port
            let second = HTTPServer(configuration: configuration, responder: TestResponder())
            #expect(throws: HTTPServerError.self) { try second.start() }
        }
    }
}
