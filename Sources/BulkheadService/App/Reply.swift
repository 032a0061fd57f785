import HTTPWire

/// A response under construction.
struct Reply: Sendable {
    var status: Int
    var body: [UInt8]
    var headers: [HTTPField]

    init(status: Int, body: [UInt8], contentType: String = "application/json", headers: [HTTPField] = []) {
        self.status = status
        self.body = body
        self.headers = [HTTPField("Content-Type", contentType)] + headers
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
