import HTTPServer
import HTTPWire

/// GET /json (small JSON), POST /echo (body echoed), anything else 404.
struct EchoResponder: HTTPResponder {
    static let json = Array(#"{"message":"Hello, World!"}"#.utf8)

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch (request.head.method, request.head.path) {
        case (.get, "/json"):
            HTTPResponse(status: 200, headers: [HTTPField("Content-Type", "application/json")], body: .bytes(Self.json))
        case (.post, "/echo"):
            HTTPResponse(status: 200, headers: [HTTPField("Content-Type", "application/octet-stream")], body: .bytes(request.body))
        default:
            HTTPResponse(status: 404)
        }
    }
}

/// `BulkheadEcho PORT EVENT_LOOPS`
@main
struct BulkheadEcho {
    static func main() async throws {
        let arguments = CommandLine.arguments
        var configuration = HTTPServerConfiguration()
        configuration.port = arguments.count > 1 ? Int(arguments[1]) ?? 8080 : 8080
        configuration.eventLoops = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1
        configuration.gzipMinimumBytes = nil
        let server = HTTPServer(configuration: configuration, responder: EchoResponder())
        let port = try server.start()
        print("bulkhead-echo listening on 127.0.0.1:\(port) with \(configuration.eventLoops) event loop(s)")
        await server.waitUntilStopped()
    }
}
