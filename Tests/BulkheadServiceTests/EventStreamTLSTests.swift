@testable import BulkheadService
import Foundation
import Testing

/// API.md "Events" through a TLS listener: events arrive, are not gzipped (even asked), and a
/// `Last-Event-ID` resume continues with no gap and no duplicate.
@Suite struct EventStreamTLSTests {
    @Test func streamOverTLSDeliversAndResumes() async throws {
        let certificate = try TestCertificate.make()
        let service = try await TestService.start {
            $0.tlsCertificate = certificate.certificatePath
            $0.tlsPrivateKey = certificate.privateKeyPath
        }
        defer { Task { await service.stop() } }
        let url = "https://127.0.0.1:\(service.port)/v1/segments/majors/events"
        let steady = try CurlEventStream(url: url, key: TestKeys.reader)
        defer { steady.stop() }
        let head = try await onThread { try steady.head() }.lowercased()
        #expect(head.hasPrefix("http/1.1 200") && head.contains("content-type: text/event-stream"))
        #expect(!head.contains("content-encoding"))

        // Requests go over TLS too (the service listens on TLS only).
        try await Self.rejected(service, count: 3, tag: 0)
        let seen = try await onThread { try steady.events(3) }
        #expect(seen.map(\.type) == ["price_rejected", "price_rejected", "price_rejected"])

        let resumed = try CurlEventStream(url: url, key: TestKeys.reader, lastEventID: seen[0].id)
        defer { resumed.stop() }
        _ = try await onThread { try resumed.head() }
        try await Self.rejected(service, count: 2, tag: 1)
        let more = try await onThread { try steady.events(2) }
        #expect(try await onThread { try resumed.events(4) } == Array(seen[1...]) + more)
    }

    /// A batch of prices for unknown markets over HTTPS: each is a `price_rejected` event.
    static func rejected(_ service: TestService, count: Int, tag: Int) async throws {
        let items = (0..<count).map { i in
            #"{"market":"NOPE-\#(tag)-\#(i)","price":"1","timestamp":"\#(service.clock.text)","source":"feed-a"}"#
        }
        let body = #"{"prices":["# + items.joined(separator: ",") + "]}"
        let url = "https://127.0.0.1:\(service.port)/v1/segments/majors/prices"
        let status = try await onThread { () throws -> String in
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            process.arguments = [
                "-sk", "--max-time", "30", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer \(TestKeys.oracle)",
                "-H", "Content-Type: application/json", "--data-binary", body, url,
            ]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: output, as: UTF8.self)
        }
        #expect(status == "200")
    }
}
