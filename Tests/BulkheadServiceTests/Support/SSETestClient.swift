import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One Server-Sent Event as a client parsed it.
struct SSEEvent: Sendable, Equatable {
    var id: String?
    var type: String
    var data: String
}

/// A blocking SSE client over a real socket: sends the GET, checks the head, then decodes
/// the chunked body into events. Runs on its own thread (`onThread`).
final class SSETestClient: @unchecked Sendable {
    private let fd: Int32
    private var raw: [UInt8] = []
    private var body: [UInt8] = []
    private var ended = false
    private(set) var status = 0
    private(set) var head = ""
    private(set) var sawRetry = false

    init(port: Int, path: String, key: String, lastEventID: String? = nil, receiveBuffer: Int32? = nil, timeoutSeconds: Int = 15) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if var size = receiveBuffer { setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size)) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else { throw TestClientFailure(description: "connect: \(errno)") }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(key)\r\nAccept: text/event-stream\r\nAccept-Encoding: gzip\r\n"
        if let lastEventID { request += "Last-Event-ID: \(lastEventID)\r\n" }
        request += "\r\n"
        let bytes = Array(request.utf8)
        _ = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        try readHead()
    }

    deinit { Glibc.close(fd) }

    func close() { shutdown(fd, Int32(SHUT_RDWR)) }

    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let count = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if count == 0 { return false }
        guard count > 0 else { throw TestClientFailure(description: "recv failed: \(errno)") }
        raw.append(contentsOf: chunk[0..<count])
        return true
    }

    private func readHead() throws {
        let separator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = raw.indices.dropLast(3).first(where: { Array(raw[$0..<$0 + 4]) == separator }) {
                head = String(decoding: raw[0..<end], as: UTF8.self)
                raw.removeFirst(end + 4)
                status = Int(head.split(separator: " ")[1]) ?? 0
                return
            }
            guard try fill() else { throw TestClientFailure(description: "closed before the head") }
        }
    }

    /// Moves complete chunks from `raw` into `body`; false when more bytes are needed.
    private func decodeChunks() -> Bool {
        var progressed = false
        while let lineEnd = raw.indices.dropLast().first(where: { raw[$0] == 13 && raw[$0 + 1] == 10 }) {
            let sizeText = String(decoding: raw[0..<lineEnd], as: UTF8.self)
            guard let size = Int(sizeText, radix: 16) else { return progressed }
            if size == 0 {
                ended = true
                return true
            }
            guard raw.count >= lineEnd + 2 + size + 2 else { return progressed }
            body.append(contentsOf: raw[(lineEnd + 2)..<(lineEnd + 2 + size)])
            raw.removeFirst(lineEnd + 2 + size + 2)
            progressed = true
        }
        return progressed
    }

    /// The next event (comments and `retry:` skipped); nil when the stream ended.
    func next() throws -> SSEEvent? {
        while true {
            if let end = body.indices.dropLast().first(where: { body[$0] == 10 && body[$0 + 1] == 10 }) {
                let block = String(decoding: body[0..<end], as: UTF8.self)
                body.removeFirst(end + 2)
                var event = SSEEvent(id: nil, type: "message", data: "")
                var isEvent = false
                for line in block.split(separator: "\n") {
                    if line.hasPrefix("retry:") { sawRetry = true }
                    if line.hasPrefix("id: ") { event.id = String(line.dropFirst(4)); isEvent = true }
                    if line.hasPrefix("event: ") { event.type = String(line.dropFirst(7)); isEvent = true }
                    if line.hasPrefix("data: ") { event.data = String(line.dropFirst(6)); isEvent = true }
                }
                if isEvent { return event }
                continue
            }
            if ended { return nil }
            if !decodeChunks() {
                guard try fill() else { return nil }
            }
        }
    }

    /// Exactly `count` events.
    func read(_ count: Int) throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        while events.count < count {
            guard let event = try next() else { throw TestClientFailure(description: "stream ended after \(events.count) of \(count) events") }
            events.append(event)
        }
        return events
    }

    /// Events until the stream ends.
    func readToEnd() throws -> [SSEEvent] {
        var events: [SSEEvent] = []
        while let event = try next() { events.append(event) }
        return events
    }
}
