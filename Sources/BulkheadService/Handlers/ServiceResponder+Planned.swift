extension ServiceResponder {
    /// Routes owned by later issues: authorized like the finished route will be (the role and
    /// path segment by the authorization stage, the segments a body names here), then 501.
    func notImplemented(_ endpoint: Endpoint, _ context: RequestContext) throws(APIError) -> Reply {
        switch endpoint {
        case .postStress:
            var segments: [String] = []
            if case .object(let object)? = try? JSONReader.parse(context.request.body), case .array(let shocks)? = object["shocks"] {
                for shock in shocks { segments += Self.strings(["segment"], in: shock) }
            }
            if case .object(let object)? = try? JSONReader.parse(context.request.body), case .array(let book)? = object["segments"] {
                for case .string(let id) in book { segments.append(id) }
            }
            _ = try authorize(context, .read, segments: segments)
            try requireSegments(segments)
        default:
            break
        }
        if !context.request.body.isEmpty, let type = context.request.head.headers.first("Content-Type"), !RequestContext.isJSON(type) {
            throw .unsupportedMediaType(type)
        }
        throw .notImplemented("\(endpoint.method.name) \(endpoint.pattern)")
    }

    private static func strings(_ names: [String], in value: JSONValue?) -> [String] {
        guard case .object(let object)? = value else { return [] }
        return names.compactMap { name in
            if case .string(let text)? = object[name] { return text }
            return nil
        }
    }
}
