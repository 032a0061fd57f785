import Foundation
import HTTPServer
import Testing

@Suite struct TLSTests {
    func withTLSServer(_ body: (Int) async throws -> Void) async throws {
        let certificate = try TestCertificate.make()
        defer { certificate.remove() }
        try await withServer(configure: {
            $0.tls = TLSConfiguration(certificatePath: certificate.certificatePath, privateKeyPath: certificate.privateKeyPath)
            $0.gzipMinimumBytes = 100
        }) { port, _ in
            try await body(port)
        }
    }

    @Test func curlTalksHTTPSWithKeepAlive() async throws {
        try await withTLSServer { port in
            let url = "https://127.0.0.1:\(port)/hello"
            // Two URLs on one curl run reuse the TLS connection.
            let result = try await runAsync("/usr/bin/curl", ["-sk", "--max-time", "10", "--tlsv1.2", url, url])
            #expect(result.status == 0)
            #expect(String(decoding: result.output, as: UTF8.self) == "hellohello")
        }
    }

    @Test func curlGetsGzipOverTLS() async throws {
        try await withTLSServer { port in
            let result = try await runAsync("/usr/bin/curl", ["-sk", "--compressed", "--max-time", "10",
                                                   "https://127.0.0.1:\(port)/big"])
            #expect(result.status == 0)
            #expect(result.output.count == 9000)
        }
    }

    @Test func curlPostsBodyOverTLS() async throws {
        try await withTLSServer { port in
            let body = String(repeating: "z", count: 100_000)
            let result = try await runAsync("/usr/bin/curl", ["-sk", "--max-time", "10", "--data-binary", body,
                                                   "https://127.0.0.1:\(port)/echo"])
            #expect(result.status == 0)
            #expect(result.output.count == 100_000)
        }
    }

    @Test func curlReadsAStreamOverTLS() async throws {
        try await withTLSServer { port in
            let result = try await runAsync("/usr/bin/curl", ["-sk", "--max-time", "10", "https://127.0.0.1:\(port)/stream"])
            #expect(result.status == 0)
            #expect(String(decoding: result.output, as: UTF8.self) == "data: 0\n\ndata: 1\n\ndata: 2\n\n")
        }
    }

    @Test func tls11IsRefused() async throws {
        try await withTLSServer { port in
            let result = try await runAsync("/usr/bin/curl", ["-sk", "--max-time", "10", "--tls-max", "1.1",
                                                   "https://127.0.0.1:\(port)/hello"])
            #expect(result.status != 0)
        }
    }

    @Test func plainHTTPOnTheTLSPortGets400AndClose() async throws {
        try await withTLSServer { port in
            let client = try RawClient(port: port)
            client.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 400)
            #expect(response.text.contains("tls_required"))
            #expect(await client.waitForClose())
        }
    }

    @Test func brokenHandshakeIsClosedAndServerKeepsServing() async throws {
        try await withTLSServer { port in
            let client = try RawClient(port: port)
            // A handshake record header followed by garbage.
            client.send([0x16, 0x03, 0x01, 0x00, 0x20] + [UInt8](repeating: 0xAB, count: 32))
            #expect(await client.waitForClose())
            let probe = try RawClient(port: port)
            probe.send("GET / HTTP/1.1\r\n\r\n")
            #expect(try await probe.readResponse().status == 400)
        }
    }

    @Test func handshakeCountsAgainstTheHeadDeadline() async throws {
        let certificate = try TestCertificate.make()
        defer { certificate.remove() }
        try await withServer(configure: {
            $0.tls = TLSConfiguration(certificatePath: certificate.certificatePath, privateKeyPath: certificate.privateKeyPath)
            $0.requestHeadTimeoutSeconds = 0.2
        }) { port, _ in
            let client = try RawClient(port: port)
            client.send([0x16, 0x03, 0x01])  // a handshake that never completes
            #expect(await client.waitForClose())
        }
    }

    @Test func missingCertificateFailsStart() {
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.tls = TLSConfiguration(certificatePath: "/nonexistent/cert.pem", privateKeyPath: "/nonexistent/key.pem")
        let server = HTTPServer(configuration: configuration, responder: TestResponder())
        #expect(throws: HTTPServerError.self) { try server.start() }
    }
}
