import Foundation
import Glibc

/// A blocking loopback TCP client that speaks raw bytes, for conformance tests.
/// Every read has a generous timeout so a broken server fails a test instead of hanging it.
final class RawClient: @unchecked Sendable {
    let fd: Int32
    private var buffer: [UInt8] = []
    private(set) var sawEOF = false

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init(port: Int, timeoutSeconds: Int = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            closed = true
            Glibc.close(fd)
            throw Failure(description: "connect: \(errno)")
        }
    }

    private var closed = false

    deinit {
        close()
    }

    /// Closes the socket (the server then sees end of stream).
    func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(fd)
    }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if sent <= 0 { return }  // the server may have closed already; reading tells
            offset += sent
        }
    }

    /// Closes our sending side (the server sees end of stream).
    func finishSending() {
        Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Reads once into the buffer: bytes read, 0 at end of stream, -1 on error or timeout.
    @discardableResult
    private func fill() -> Int {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count > 0 { buffer.append(contentsOf: chunk[0..<count]) }
        if count == 0 { sawEOF = true }
        if count < 0 && errno == ECONNRESET { sawEOF = true; return 0 }
        return count
    }

    /// The next response (an interim 100 counts as one). `head` for a HEAD request.
    /// Blocking reads run on their own thread so they never starve Swift's cooperative
    /// pool, which runs the server's handlers.
    func readResponse(head: Bool = false) async throws -> RawResponse {
        try await offPool { try self.readResponseBlocking(head: head) }
    }

    func waitForClose(allowData: Bool = true) async -> Bool {
        (try? await offPool { self.waitForCloseBlocking(allowData: allowData) }) ?? false
    }

    private func readResponseBlocking(head: Bool) throws -> RawResponse {
        while true {
            if let response = try RawResponse.parse(&buffer, isHead: head, atEOF: sawEOF) { return response }
            if sawEOF { throw Failure(description: "connection closed before a full response (\(buffer.count) bytes buffered)") }
            if fill() < 0 { throw Failure(description: "timed out waiting for a response") }
        }
    }

    /// Waits until the server closes (true), or the timeout passes or data arrives (false
    /// when `allowData` is false).
    private func waitForCloseBlocking(allowData: Bool) -> Bool {
        while !sawEOF {
            let before = buffer.count
            let count = fill()
            if count < 0 { return false }
            if count > 0 && !allowData && buffer.count > before { return false }
        }
        return true
    }

    var unreadBytes: Int { buffer.count }
}

/// Runs blocking work on a fresh thread and awaits its result.
func offPool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.start()
    }
}

/// A parsed response as the test sees it.
struct RawResponse {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }?.value
    }

    var text: String { String(decoding: body, as: UTF8.self) }

    static func parse(_ buffer: inout [UInt8], isHead: Bool, atEOF: Bool) throws -> RawResponse? {
        guard let end = find([13, 10, 13, 10], in: buffer) else { return nil }
        let headText = String(decoding: buffer[0..<end], as: UTF8.self)
        var lines = headText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw RawClient.Failure(description: "bad status line in \(headText)")
        }
        let headers = lines.compactMap { line -> (String, String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (line[..<colon].lowercased(),
                    line[line.index(after: colon)...].trimmedSpaces)
        }
        let bodyStart = end + 4
        func value(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
        if isHead || status < 200 || status == 204 || status == 304 {
            buffer.removeFirst(bodyStart)
            return RawResponse(status: status, headers: headers, body: [])
        }
        if let length = value("content-length").flatMap({ Int($0) }) {
            guard buffer.count >= bodyStart + length else { return nil }
            let body = Array(buffer[bodyStart..<bodyStart + length])
            buffer.removeFirst(bodyStart + length)
            return RawResponse(status: status, headers: headers, body: body)
        }
        if value("transfer-encoding")?.lowercased() == "chunked" {
            var index = bodyStart
            var body: [UInt8] = []
            while true {
                guard let lineEnd = find([13, 10], in: buffer, from: index) else { return nil }
                let sizeText = String(decoding: buffer[index..<lineEnd], as: UTF8.self)
                guard let size = Int(sizeText.split(separator: ";").first ?? "", radix: 16) else {
                    throw RawClient.Failure(description: "bad chunk size \(sizeText)")
                }
                let dataStart = lineEnd + 2
                if size == 0 {
                    guard let trailerEnd = find([13, 10], in: buffer, from: dataStart) else { return nil }
                    buffer.removeFirst(trailerEnd + 2)
                    return RawResponse(status: status, headers: headers, body: body)
                }
                guard buffer.count >= dataStart + size + 2 else { return nil }
                body += buffer[dataStart..<dataStart + size]
                index = dataStart + size + 2
            }
        }
        // Delimited by close.
        guard atEOF else { return nil }
        let body = Array(buffer[bodyStart...])
        buffer.removeAll()
        return RawResponse(status: status, headers: headers, body: body)
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int = 0) -> Int? {
        guard haystack.count >= needle.count, start <= haystack.count - needle.count else { return nil }
        for index in start...(haystack.count - needle.count)
        where haystack[index] == needle[0] && Array(haystack[index..<index + needle.count]) == needle {
            return index
        }
        return nil
    }
}

extension StringProtocol {
    var trimmedSpaces: String {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return String(text)
    }
}
