import HTTPWire
import RiskEngine

/// One request with its route parameters and helpers shared by the handlers.
struct RequestContext: Sendable {
    var request: HTTPRequest
    var parameters: [String]

    var authorization: String? { request.head.headers.first("Authorization") }

    /// The `{segment}` parameter; `authorize` checks it is an identifier once the key is
    /// known (so a missing key is 401 whatever the path holds).
    func segmentID() -> String {
        parameters[0]
    }

    func accountID() throws(APIError) -> String {
        let id = parameters[1]
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
