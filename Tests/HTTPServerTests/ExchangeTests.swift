import HTTPServer
import Synchronization
import Testing

private let host = "Host: example.test\r\n"

/// Pipelining, 100-continue, deadlines, shutdown, streaming, gzip, rate limits, events.
@Suite struct ExchangeTests {
    @Test func threePipelinedRequestsAnsweredInOrder() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.1\r\n\(host)\r\nPOST /echo HTTP/1.1\r\n\(host)Content-Length: 3\r\n\r\nabcGET /path?n=3 HTTP/1.1\r\n\(host)\r\n")
            let first = try await client.readResponse()
            let second = try await client.readResponse()
            let third = try await client.readResponse()
            #expect([first.status, second.status, third.status] == [200, 200, 200])
            #expect([first.text, second.text, third.text] == ["hello", "abc", "/path?n=3"])
            client.send("GET / HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    @Test func pipelinedRequestAfterCloseIsNotAnswered() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.1\r\n\(host)Connection: close\r\n\r\nGET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(await client.waitForClose(allowData: false))
        }
    }

    @Test func manyPipelinedRequestsInOnePacket() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send(String(repeating: "GET /hello HTTP/1.1\r\n\(host)\r\n", count: 100))
            for _ in 0..<100 { #expect(try await client.readResponse().text == "hello") }
        }
    }

    @Test func readAheadPausesWhileBusyAndResumes() async throws {
        let gate = Gate()
        try await withServer(gate: gate, configure: { $0.maxReadAheadBytes = 4096; $0.maxPendingOutputBytes = 8192 }) { port, _ in
            let client = try RawClient(port: port)
            let flood = "GET /gate HTTP/1.1\r\n\(host)\r\n" + String(repeating: "GET /hello HTTP/1.1\r\n\(host)\r\n", count: 3000)
            let sending = Task { try await offPool { client.send(flood) } }
            await gate.arrived()
            gate.open()
            #expect(try await client.readResponse().text == "through")
            for _ in 0..<3000 { #expect(try await client.readResponse().text == "hello") }
            try await sending.value
        }
    }

    @Test func expectContinueGets100ThenTheResponse() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 5\r\n\r\n")
            let interim = try await client.readResponse()
            #expect(interim.status == 100)
            client.send("hello")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.text == "hello")
        }
    }

    @Test func expectContinueOverTheLimitIs413WithoutContinue() async throws {
        try await withServer(configure: { $0.limits.maxBodyBytes = 10 }) { port, _ in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\n\(host)Expect: 100-continue\r\nContent-Length: 11\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 413)
            #expect(response.header("connection") == "close")
            #expect(await client.waitForClose(allowData: false))
        }
    }

    @Test func idleKeepAliveConnectionIsClosed() async throws {
        try await withServer(configure: { $0.keepAliveIdleTimeoutSeconds = 0.2 }) { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 200)
            #expect(await client.waitForClose(allowData: false))
        }
    }

    @Test func stalledBodyGets408AndClose() async throws {
        try await withServer(configure: { $0.bodyIdleTimeoutSeconds = 0.2 }) { port, _ in
            let client = try RawClient(port: port)
            client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 10\r\n\r\nabc")
            let response = try await client.readResponse()
            #expect(response.status == 408)
            #expect(await client.waitForClose())
        }
    }

    @Test func stalledWriterIsClosed() async throws {
        let log = EventLog()
        try await withServer(configure: { $0.writeStallTimeoutSeconds = 0.2; $0.onEvent = log.handler }) { port, _ in
            let client = try RawClient(port: port)
            // Far more than the socket buffers hold; the client reads nothing until the server gives up.
            client.send(String(repeating: "GET /big HTTP/1.1\r\n\(host)\r\n", count: 2000))
            await log.wait { $0 == .timeout(kind: "write") }
            #expect(await client.waitForClose())
        }
    }

    @Test(arguments: [true, false])
    func gracefulShutdownFinishesAnInFlightRequest(handlersOnLoop: Bool) async throws {
        let gate = Gate()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        configuration.handlersRunOnEventLoop = handlersOnLoop
        let server = HTTPServer(configuration: configuration, responder: TestResponder(gate: gate))
        let port = try server.start()
        let busy = try RawClient(port: port)
        let idle = try RawClient(port: port)
        busy.send("GET /gate HTTP/1.1\r\n\(host)\r\n")
        await gate.arrived()
        let stopping = Task { await server.shutdown(gracePeriodSeconds: 30) }
        #expect(await idle.waitForClose(allowData: false))
        // Closing the idle connection came after the listener was shut: no new connections.
        #expect(throws: (any Error).self) { try RawClient(port: port) }
        gate.open()
        let response = try await busy.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "through")
        #expect(response.header("connection") == "close")
        #expect(await busy.waitForClose())
        busy.close()
        await stopping.value
    }

    @Test func shutdownNeverCutsAResponse() async throws {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        let server = HTTPServer(configuration: configuration, responder: TestResponder())
        let port = try server.start()
        let client = try RawClient(port: port)
        // More output than the socket buffers hold, so some is still pending at shutdown.
        client.send(String(repeating: "GET /big HTTP/1.1\r\n\(host)\r\n", count: 300))
        let stopping = Task { await server.shutdown(gracePeriodSeconds: 30) }
        var count = 0
        while true {
            do {
                let response = try await client.readResponse()
                #expect(response.body.count == 9000)
                count += 1
                if response.header("connection") == "close" { break }
            } catch {
                // Only a close at a response boundary is acceptable.
                #expect(client.sawEOF && client.unreadBytes == 0)
                break
            }
        }
        #expect(count <= 300)
        client.close()
        await stopping.value
    }

    @Test func shutdownForcesClosureAfterTheGracePeriod() async throws {
        let gate = Gate()
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.eventLoops = 1
        let server = HTTPServer(configuration: configuration, responder: TestResponder(gate: gate))
        let port = try server.start()
        let busy = try RawClient(port: port)
        busy.send("GET /gate HTTP/1.1\r\n\(host)\r\n")
        await gate.arrived()
        await server.shutdown(gracePeriodSeconds: 0.1)
        #expect(await busy.waitForClose(allowData: false))
        gate.open()
    }

    @Test func streamedResponseIsChunked() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /stream HTTP/1.1\r\n\(host)\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 200)
            #expect(response.header("transfer-encoding") == "chunked")
            #expect(response.header("content-type") == "text/event-stream")
            #expect(response.text == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
            client.send("GET / HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 200)
        }
    }

    /// A stream body runs where its handler ran: with handlers on the loop it needs no
    /// global-pool thread, so a busy pool (other work, other tests) cannot stall it.
    @Test func streamBodyRunsOnTheLoopWithItsHandler() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /stream-thread HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().text == "same")
        }
    }

    @Test func streamedResponseToHTTP10EndsWithClose() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /stream HTTP/1.0\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("transfer-encoding") == nil)
            #expect(response.text == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
            #expect(client.sawEOF)
        }
    }

    @Test func largeStreamWithBackPressureArrivesWhole() async throws {
        try await withServer(configure: { $0.maxPendingOutputBytes = 16 * 1024 }) { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /stream-large HTTP/1.1\r\n\(host)\r\n")
            let response = try await client.readResponse()
            #expect(response.body.count == 64 * 64 * 1024)
            #expect(response.body.allSatisfy { $0 == UInt8(ascii: "x") })
        }
    }

    @Test func failingStreamIsCutOff() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /stream-fail HTTP/1.1\r\n\(host)\r\n")
            await #expect(throws: RawClient.Failure.self) { try await client.readResponse() }
            #expect(client.sawEOF)
        }
    }

    @Test func headOfAStreamHasNoBody() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("HEAD /stream HTTP/1.1\r\n\(host)\r\n")
            let response = try await client.readResponse(head: true)
            #expect(response.status == 200)
            client.send("GET / HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().text == "ok")
        }
    }

    @Test func gzipWhenAcceptedAndLargeEnough() async throws {
        try await withServer(configure: { $0.gzipMinimumBytes = 1024 }) { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /big HTTP/1.1\r\n\(host)Accept-Encoding: br, gzip;q=0.8\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.header("content-encoding") == "gzip")
            #expect(response.header("vary") == "Accept-Encoding")
            #expect(response.body.count < 9000)
            #expect(try gunzip(response.body) == Array(String(repeating: "bulkhead ", count: 1000).utf8))

            client.send("GET /big HTTP/1.1\r\n\(host)Accept-Encoding: gzip;q=0\r\n\r\n")
            let refused = try await client.readResponse()
            #expect(refused.header("content-encoding") == nil)
            #expect(refused.body.count == 9000)

            client.send("GET /hello HTTP/1.1\r\n\(host)Accept-Encoding: gzip\r\n\r\n")
            let small = try await client.readResponse()
            #expect(small.header("content-encoding") == nil)
            #expect(small.text == "hello")

            client.send("GET /stream HTTP/1.1\r\n\(host)Accept-Encoding: gzip\r\n\r\n")
            let stream = try await client.readResponse()
            #expect(stream.header("content-encoding") == nil)
        }
    }

    @Test func connectionRateLimitAnswers429AndKeepsTheConnection() async throws {
        try await withServer(configure: { $0.connectionRequestRate = HTTPRateLimit(requestsPerSecond: 0.001, burst: 2) }) { port, server in
            let client = try RawClient(port: port)
            for _ in 0..<2 {
                client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
                #expect(try await client.readResponse().status == 200)
            }
            client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            let limited = try await client.readResponse()
            #expect(limited.status == 429)
            #expect(limited.header("retry-after") != nil)
            #expect(limited.text.contains(#""code":"rate_limited""#))
            // A fresh connection has its own bucket.
            let other = try RawClient(port: port)
            other.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await other.readResponse().status == 200)
            #expect(server.statistics.rateLimited == 1)
        }
    }

    @Test func addressRateLimitSpansConnections() async throws {
        try await withServer(configure: { $0.addressRequestRate = HTTPRateLimit(requestsPerSecond: 0.001, burst: 1) }) { port, _ in
            let first = try RawClient(port: port)
            first.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await first.readResponse().status == 200)
            let second = try RawClient(port: port)
            second.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await second.readResponse().status == 429)
        }
    }

    /// #17: with `credentialedRequestsSkipRateLimits` a request carrying `Authorization` is
    /// left to the responder (limited by key); one without is still limited per address and
    /// per connection.
    @Test func credentialedRequestsSkipTheAddressAndConnectionRates() async throws {
        try await withServer(configure: {
            $0.addressRequestRate = HTTPRateLimit(requestsPerSecond: 0.001, burst: 1)
            $0.connectionRequestRate = HTTPRateLimit(requestsPerSecond: 0.001, burst: 1)
            $0.credentialedRequestsSkipRateLimits = true
        }) { port, _ in
            let client = try RawClient(port: port)
            for _ in 0..<5 {
                client.send("GET /hello HTTP/1.1\r\n\(host)Authorization: Bearer k\r\n\r\n")
                #expect(try await client.readResponse().status == 200)
            }
            client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 200)
            client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 429)
        }
    }

    @Test func remoteAddressIsSet() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("GET /peer HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().text.hasPrefix("127.0.0.1:"))
        }
    }

    @Test func eventsAndStatisticsAreReported() async throws {
        let log = EventLog()
        try await withServer(configure: { $0.onEvent = log.handler }) { port, server in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.1\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 200)
            client.send("GET /hello HTTP/9.9\r\n\(host)\r\n")
            #expect(try await client.readResponse().status == 505)
            #expect(await client.waitForClose())
            client.close()
            await log.wait { $0 == .connectionClosed }
            let events = log.events
            #expect(events.first == .connectionOpened)
            #expect(events.contains(.responded(status: 200)))
            #expect(events.contains(.parseError(status: 505, code: "unsupported_version")))
            let statistics = server.statistics
            #expect(statistics.acceptedConnections == 1)
            #expect(statistics.openConnections == 0)
            #expect(statistics.requests == 1)
            #expect(statistics.parseErrors == 1)
        }
    }

    @Test(arguments: [true, false])
    func manyClientsOnSeveralLoops(handlersOnLoop: Bool) async throws {
        try await withServer(configure: { $0.eventLoops = 3; $0.handlersRunOnEventLoop = handlersOnLoop }) { port, server in
            try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let client = try RawClient(port: port)
                        var ok = 0
                        for request in 0..<20 {
                            client.send("POST /echo HTTP/1.1\r\n\(host)Content-Length: 6\r\n\r\n\(paddedNumber(index, request))")
                            if try await client.readResponse().text == paddedNumber(index, request) { ok += 1 }
                        }
                        return ok
                    }
                }
                var total = 0
                for try await ok in group { total += ok }
                #expect(total == 240)
            }
            #expect(server.statistics.requests == 240)
        }
    }
}

private func paddedNumber(_ index: Int, _ request: Int) -> String {
    let text = "\(index * 100 + request)"
    return String(repeating: "0", count: 6 - text.count) + text
}
