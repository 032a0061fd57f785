import Foundation
import HTTPTypes
import OpenAPIRuntime

/// Sends `Authorization: Bearer <key>` on every request: the document declares the bearer
/// scheme; the generated client leaves supplying the credential to the caller.
struct BearerKey: ClientMiddleware {
    var key: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.authorization] = "Bearer \(key)"
        return try await next(request, body, baseURL)
    }
}
