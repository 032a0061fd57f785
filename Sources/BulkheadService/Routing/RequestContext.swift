import HTTPServer
import HTTPWire
import RiskEngine

/// One request on its way through the stages: the route's parameters by name and, once the
/// authorization stage has run, the caller.
struct RequestContext: Sendable {
    var request: HTTPRequest
    var parameters: RouteParameters
    /// Set by the authorization stage; nil on routes that need no key.
    var principal: Principal?

    init(request: HTTPRequest, parameters: RouteParameters, principal: Principal? = nil) {
        self.request = request
        self.parameters = parameters
        self.principal = principal
    }

    var authorization: String? { request.head.headers.first("Authorization") }

    /// The `{segment}` parameter; the authorization stage checks it is an identifier once the
    /// key is known (so a missing key is 401 whatever the path holds).
    var segment: String { parameters[.segment] }

    func account() throws(APIError) -> String {
        let id = parameters[.account]
        guard Identifier.isValid(id) else { throw .invalidIdentifier("account") }
        return id
    }

    /// The body as JSON: 415 for a non-JSON Content-Type, 400 for a missing or malformed body.
    func jsonBody(limits: JSONReader.Limits = JSONReader.Limits()) throws(APIError) -> JSONValue {
        if let type = request.head.headers.first("Content-Type"), !Self.isJSON(type) {
            throw .unsupportedMediaType(type)
        }
        guard !request.body.isEmpty else { throw .invalidJSON("the request body is empty; send a JSON object") }
        do {
            return try JSONReader.parse(request.body, limits: limits)
        } catch {
            if error.tooLarge { throw .payloadTooLarge(error.message) }
            throw .invalidJSON("the body is not valid JSON: \(error.message)")
        }
    }

    /// `application/json`, `application/*+json`, with or without parameters.
    static func isJSON(_ contentType: String) -> Bool {
        // What nearly every client sends, checked without building strings.
        if contentType.utf8.count == 16, contentType.utf8.elementsEqual("application/json".utf8) { return true }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingSpaces().lowercased() } ?? ""
        return mediaType == "application/json" || (mediaType.hasPrefix("application/") && mediaType.hasSuffix("+json"))
    }

    /// Decoded query parameters; 400 `invalid_query` when malformed.
    func query() throws(APIError) -> [(name: String, value: String)] {
        guard let pairs = QueryDecoding.query(request.head.query) else { throw .invalidQuery("query", "malformed percent-encoding") }
        return pairs
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var text = self
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return text
    }
}
