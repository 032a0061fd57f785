import Glibc
import HTTPServer
import HTTPWire

typealias TestHandler = @Sendable (HTTPRequest, RouteParameters) async -> HTTPResponse

/// The tiny application the server tests talk to, routed with `Router`.
struct TestResponder: HTTPResponder {
    let router: Router<TestHandler>

    init(gate: Gate = Gate()) {
        var router = Router<TestHandler>()
        router.add(.get, "/", { _, _ in HTTPResponse(status: 200, body: .bytes(Array("ok".utf8))) })
        router.add(.get, "/hello", { _, _ in
            HTTPResponse(status: 200, headers: [HTTPField("Content-Type", "text/plain")], body: .bytes(Array("hello".utf8)))
        })
        router.add(.post, "/echo", { request, _ in HTTPResponse(status: 200, body: .bytes(request.body)) })
        router.add(.put, "/echo", { request, _ in HTTPResponse(status: 200, body: .bytes(request.body)) })
        router.add(.get, "/big", { _, _ in
            HTTPResponse(status: 200, headers: [HTTPField("Content-Type", "text/plain")],
                         body: .bytes(Array(String(repeating: "bulkhead ", count: 1000).utf8)))
        })
        router.add(.get, "/segments/{segment}/accounts/{account}", { _, parameters in
            HTTPResponse(status: 200, body: .bytes(Array("\(parameters["segment"]!)|\(parameters["account"]!)".utf8)))
        })
        router.add(.get, "/path", { request, _ in HTTPResponse(status: 200, body: .bytes(Array(request.head.target.utf8))) })
        router.add(.get, "/peer", { request, _ in HTTPResponse(status: 200, body: .bytes(Array(request.remoteAddress.utf8))) })
        router.add(.get, "/gate", { _, _ in
            await gate.pass()
            return HTTPResponse(status: 200, body: .bytes(Array("through".utf8)))
        })
        router.add(.get, "/stream", { _, _ in
            HTTPResponse(status: 200, headers: [HTTPField("Content-Type", "text/event-stream")], body: .stream { writer in
                for index in 0..<3 { try await writer.write(Array("data: \(index)\n\n".utf8)) }
            })
        })
        router.add(.get, "/stream-large", { _, _ in
            HTTPResponse(status: 200, body: .stream { writer in
                let chunk = [UInt8](repeating: UInt8(ascii: "x"), count: 64 * 1024)
                for _ in 0..<64 { try await writer.write(chunk) }
            })
        })
        router.add(.get, "/stream-fail", { _, _ in
            HTTPResponse(status: 200, body: .stream { writer in
                try await writer.write(Array("partial".utf8))
                throw CancellationError()
            })
        })
        router.add(.get, "/stream-thread", { _, _ in
            // Where the handler and its stream body run: "same" when on one thread.
            let handlerThread = pthread_self()
            return HTTPResponse(status: 200, body: .stream { writer in
                let same = pthread_equal(handlerThread, pthread_self()) != 0
                try await writer.write(Array((same ? "same" : "different").utf8))
            })
        })
        router.add(.delete, "/hello", { _, _ in HTTPResponse(status: 204) })
        self.router = router
    }

    /// Early admission: any path under /shed is refused at its head (no route serves it, so
    /// an answer other than this 503 would mean the head hook was not asked).
    func admit(head: HTTPRequestHead) -> HTTPResponse? {
        guard head.path.hasPrefix("/shed") else { return nil }
        return HTTPResponse(status: 503, headers: [HTTPField("Retry-After", "1")], body: .bytes(Array("shed".utf8)))
    }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        switch router.match(method: request.head.method, path: request.head.path) {
        case .found(let handler, let parameters):
            return await handler(request, parameters)
        case .notFound:
            return HTTPResponse(status: 404, body: .bytes(Array(#"{"error":{"code":"not_found","message":"no route"}}"#.utf8)))
        case .methodNotAllowed(let allowed):
            return HTTPResponse(status: 405, headers: [HTTPField("Allow", allowed.map(\.name).joined(separator: ", "))])
        case .invalidPath:
            return HTTPResponse(status: 400)
        }
    }
}
