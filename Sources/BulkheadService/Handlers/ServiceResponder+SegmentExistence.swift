extension ServiceResponder {
    /// 404 `unknown_segment` for the first id (in the order given) that names no segment.
    /// Routes whose body or query names segments call it once those are authorized, before
    /// anything else about the request is looked up, so an unknown segment is reported as
    /// such and not as a missing bridge or transfer (docs/api.md "Order of checks").
    func requireSegments(_ ids: [String]) throws(APIError) {
        for id in ids where registry.engine(id) == nil { throw .unknownSegment(id) }
    }

    /// `requireSegments` for routes that work across instances (bridges, transfers): in
    /// cluster mode a segment served elsewhere exists too.
    func requireKnownSegments(_ ids: [String]) throws(APIError) {
        guard let cluster else { return try requireSegments(ids) }
        for id in ids where registry.engine(id) == nil && cluster.route(id) == .unknown { throw .unknownSegment(id) }
    }
}
