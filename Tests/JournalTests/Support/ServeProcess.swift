import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A `bulkhead serve` child process. `waitForLog` reads its log (stderr) line by line until a
/// line holds the text, so a test waits for an event, not for time; the process ends with
/// SIGTERM at `stop`.
final class ServeProcess {
    let process = Process()
    private let log = Pipe()
    private var buffered = Data()
    private(set) var lines: [String] = []

    init(_ binary: URL, _ arguments: [String], environment: [String: String] = [:]) throws {
        process.executableURL = binary
        process.arguments = ["serve"] + arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BULKHEAD_") }.merging(environment) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = log
        try process.run()
    }

    /// True once a log line contains `text`; false when the process ended first.
    func waitForLog(_ text: String) -> Bool {
        waitForLog { $0.contains(text) }
    }

    /// True once a log line matches; false when the process ended first.
    func waitForLog(where matches: (String) -> Bool) -> Bool {
        while true {
            if let newline = buffered.firstIndex(of: UInt8(ascii: "\n")) {
                let line = String(decoding: buffered[buffered.startIndex..<newline], as: UTF8.self)
                buffered = Data(buffered[buffered.index(after: newline)...])
                lines.append(line)
                if matches(line) { return true }
                continue
            }
            let chunk = log.fileHandleForReading.availableData
            if chunk.isEmpty { return false }
            buffered.append(chunk)
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGTERM) }
        process.waitUntilExit()
    }

    /// One request on a fresh connection (`Connection: close`): status, headers, body. A
    /// server that stops answering (killed, paused) ends the wait after `timeoutSeconds`
    /// with what was received (status 0 when nothing was).
    static func request(
        port: Int, _ method: String, _ target: String, key: String, body: String? = nil, headers: [(String, String)] = [],
        timeoutSeconds: Int = 60
    ) throws -> ClusterTestResponse {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestClusterError(message: "connect to \(port) failed: errno \(errno)") }
        var text = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: Bearer \(key)\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            text += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body
        } else {
            text += "\r\n"
        }
        _ = Array(text.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received += buffer[0..<count]
        }
        let response = String(decoding: received, as: UTF8.self)
        let parts = response.components(separatedBy: "\r\n\r\n")
        let head = parts[0].components(separatedBy: "\r\n")
        let status = Int(head[0].split(separator: " ").dropFirst().first ?? "") ?? 0
        let headers = head.dropFirst().compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return ClusterTestResponse(status: status, headers: headers, body: parts.dropFirst().joined(separator: "\r\n\r\n"))
    }
}

/// Runs `wait` (a blocking wait on `process`'s log or answers) and ends the process if it has
/// not returned within `seconds`, so a failure cannot hang the run.
func bounded(_ process: ServeProcess, seconds: Int = 60, _ wait: () -> Bool) -> Bool {
    let settled = Mutex(false)
    let pid = process.process.processIdentifier
    DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) {
        if !settled.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
    defer { settled.withLock { $0 = true } }
    return wait()
}
