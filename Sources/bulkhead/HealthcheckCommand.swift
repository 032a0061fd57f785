import ArgumentParser
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `bulkhead healthcheck`: GET /healthz on the local server over a plain socket, exit 0 on 200.
/// The container's HEALTHCHECK uses it, so the runtime image needs no curl.
struct HealthcheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "healthcheck",
        abstract: "Probe a running bulkhead (GET /healthz); exit 0 when it answers 200."
    )

    @Option(help: "IPv4 address to probe.")
    var host = "127.0.0.1"

    @Option(help: "Port to probe (default: $BULKHEAD_PORT or 8080).")
    var port: Int?

    @Option(help: "Path to request.")
    var path = "/healthz"

    @Option(help: "Seconds to wait for connect and answer.")
    var timeout = 3

    func run() throws {
        let port = port ?? ProcessInfo.processInfo.environment["BULKHEAD_PORT"].flatMap(Int.init) ?? 8080
        do {
            let status = try probe(port: port)
            guard status == 200 else {
                print("unhealthy: \(host):\(port)\(path) answered \(status)")
                throw ExitCode.failure
            }
            print("ok: \(host):\(port)\(path) answered 200")
        } catch let failure as ProbeFailure {
            print("unhealthy: \(host):\(port)\(path): \(failure.reason)")
            throw ExitCode.failure
        }
    }

    struct ProbeFailure: Error {
        var reason: String
    }

    private func probe(port: Int) throws -> Int {
        guard (1...65535).contains(port) else { throw ProbeFailure(reason: "port out of range") }
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ProbeFailure(reason: "socket: \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var limit = timeval(tv_sec: timeout, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))

        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &address.sin_addr) == 1 else {
            throw ProbeFailure(reason: "'\(host)' is not an IPv4 address")
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else { throw ProbeFailure(reason: "connect: \(String(cString: strerror(errno)))") }

        let request = Array("GET \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n\r\n".utf8)
        var sent = 0
        while sent < request.count {
            let written = request[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard written > 0 else { throw ProbeFailure(reason: "send: \(String(cString: strerror(errno)))") }
            sent += written
        }
        // The status line is all we need: "HTTP/1.1 200 OK".
        var received = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 512)
        while received.count < 4096, !received.contains(UInt8(ascii: "\n")) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else {
                throw ProbeFailure(reason: count == 0 ? "connection closed before a status line" : "recv: \(String(cString: strerror(errno)))")
            }
            received.append(contentsOf: buffer[0..<count])
        }
        let statusLine = String(decoding: received.prefix { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }, as: UTF8.self)
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw ProbeFailure(reason: "not an HTTP status line: '\(statusLine.prefix(80))'")
        }
        return status
    }
}
