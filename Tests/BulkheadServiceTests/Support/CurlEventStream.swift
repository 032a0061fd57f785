import Foundation

/// An event stream read by the `curl` CLI (here: over TLS, which the raw-socket SSE client
/// does not speak). `-i` puts the head before the body; curl undoes the chunked framing.
/// `--max-time` only bounds a failing test: every wait is for bytes, never for time.
final class CurlEventStream: @unchecked Sendable {
    private let process = Process()
    private let output = Pipe()
    private var text = ""
    private var consumed = 0

    init(url: String, key: String, lastEventID: String? = nil) throws {
        var arguments = ["-sSkNi", "--compressed", "--max-time", "60", "-H", "Authorization: Bearer \(key)"]
        if let lastEventID { arguments += ["-H", "Last-Event-ID: \(lastEventID)"] }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        process.arguments = arguments + [url]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    deinit { stop() }

    func stop() {
        if process.isRunning { process.terminate() }
    }

    /// Reads until `done` holds for what arrived so far; false when curl ended first.
    private func read(until done: (String) -> Bool) -> Bool {
        while !done(text) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            text += String(decoding: chunk, as: UTF8.self)
        }
        return true
    }

    /// The response head, once the stream's opening `retry:` arrived (the subscription exists).
    func head() throws -> String {
        guard read(until: { $0.contains("retry: 3000\n\n") }) else { throw TestClientFailure(description: "no stream opening: \(text)") }
        return String(text[..<text.range(of: "\r\n\r\n")!.lowerBound])
    }

    /// The next `count` events after those already returned.
    func events(_ count: Int) throws -> [SSEEvent] {
        var parsed: [SSEEvent] = []
        guard read(until: { text in
            parsed = Self.parse(text)
            return parsed.count >= consumed + count
        }) else { throw TestClientFailure(description: "curl ended after \(parsed.count) events") }
        defer { consumed += count }
        return Array(parsed[consumed..<consumed + count])
    }

    /// Complete events of the body (comments and `retry:` skipped).
    static func parse(_ text: String) -> [SSEEvent] {
        guard let start = text.range(of: "\r\n\r\n") else { return [] }
        var blocks = text[start.upperBound...].components(separatedBy: "\n\n")
        blocks.removeLast()  // not yet terminated
        return blocks.compactMap { block in
            var event = SSEEvent(id: nil, type: "message", data: "")
            var isEvent = false
            for line in block.split(separator: "\n") {
                if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)); isEvent = true }
                if line.hasPrefix("event: ") { event.type = String(line.dropFirst(7)); isEvent = true }
                if line.hasPrefix("data: ") { event.data = String(line.dropFirst(6)); isEvent = true }
            }
            return isEvent ? event : nil
        }
    }
}

/// A self-signed certificate made with the `openssl` CLI in a temporary folder.
struct TestCertificate {
    let folder: TemporaryFolder
    var certificatePath: String { folder.path + "/cert.pem" }
    var privateKeyPath: String { folder.path + "/key.pem" }

    static func make() throws -> TestCertificate {
        let certificate = TestCertificate(folder: try TemporaryFolder("tls"))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        process.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", certificate.privateKeyPath, "-out", certificate.certificatePath, "-days", "1", "-subj", "/CN=localhost",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TestClientFailure(description: "openssl req failed") }
        return certificate
    }
}
