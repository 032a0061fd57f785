import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// `HummingbirdPeer PORT THREADS`: GET /json (small JSON), POST /echo (body echoed).
@main
struct HummingbirdPeer {
    static let json = ByteBuffer(string: #"{"message":"Hello, World!"}"#)

    static func main() async throws {
        let arguments = CommandLine.arguments
        let port = arguments.count > 1 ? Int(arguments[1]) ?? 8081 : 8081
        let threads = arguments.count > 2 ? Int(arguments[2]) ?? 1 : 1

        let router = Router()
        router.get("/json") { _, _ -> Response in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: json))
        }
        router.post("/echo") { request, _ -> Response in
            let body = try await request.body.collect(upTo: 1 << 20)
            return Response(status: .ok, headers: [.contentType: "application/octet-stream"], body: .init(byteBuffer: body))
        }
        var logger = Logger(label: "hummingbird-peer")
        logger.logLevel = .warning
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: port)),
            eventLoopGroupProvider: .shared(MultiThreadedEventLoopGroup(numberOfThreads: threads)),
            logger: logger
        )
        try await app.runService()
    }
}
