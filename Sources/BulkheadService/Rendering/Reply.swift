import HTTPWire

/// A response under construction.
struct Reply: Sendable {
    var status: Int
    var body: [UInt8]
    var headers: [HTTPField]

    init(status: Int, body: [UInt8], contentType: String = "application/json", headers: [HTTPField] = []) {
        self.status = status
        self.body = body
        // Room for the X-Request-Id the responder appends: one allocation per reply.
        var fields: [HTTPField] = []
        fields.reserveCapacity(headers.count + 2)
        fields.append(HTTPField("Content-Type", contentType))
        fields.append(contentsOf: headers)
        self.headers = fields
    }

    init(error: APIError) {
        self.init(status: error.status, body: error.body, headers: error.headers)
    }

    init(error: any Error) {
        if let error = error as? APIError {
            self.init(error: error)
        } else {
            self.init(error: APIError.internalError("unexpected error"))
        }
    }

    var response: HTTPResponse {
        HTTPResponse(status: status, headers: headers, body: .bytes(body))
    }
}
