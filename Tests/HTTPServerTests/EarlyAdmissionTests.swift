import HTTPServer
import Testing

private let host = "Host: example.test\r\n"

/// The head-phase admission hook: a refused request is answered without reaching the
/// responder's `respond`, and the connection stays usable when HTTP framing allows.
@Suite struct EarlyAdmissionTests {
    @Test func aRequestRefusedAtItsHeadIsAnsweredAndTheConnectionKeepsServing() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            client.send("POST /shed/x HTTP/1.1\r\n\(host)Content-Length: 5\r\n\r\nabcdeGET /hello HTTP/1.1\r\n\(host)\r\n")
            let refused = try await client.readResponse()
            #expect(refused.status == 503)
            #expect(refused.text == "shed")
            #expect(refused.header("Retry-After") == "1")
            // The refused body was framed and skipped: the next request parses cleanly.
            #expect(try await client.readResponse().text == "hello")
        }
    }

    @Test func aRefusedRequestWaitingForContinueIsAnsweredAtOnceAndClosed() async throws {
        try await withServer { port, _ in
            let client = try RawClient(port: port)
            // No body byte is ever sent: the answer cannot depend on reading it.
            client.send("POST /shed HTTP/1.1\r\n\(host)Content-Length: 100\r\nExpect: 100-continue\r\n\r\n")
            let refused = try await client.readResponse()
            #expect(refused.status == 503)
            #expect(refused.text == "shed")
            #expect(await client.waitForClose())
        }
    }
}
