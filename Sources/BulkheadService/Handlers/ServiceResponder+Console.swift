extension ServiceResponder {
    /// `GET /console` and `GET /console/{asset}`: one of the operator console's embedded files,
    /// with the security headers the page is written for (ConsoleAssets). The page itself is
    /// public; every figure it shows comes from the `/v1` routes with the user's key.
    func consoleFile(_ name: String, _ context: RequestContext) throws(APIError) -> Reply {
        guard let asset = ConsoleAssets.asset(named: name) else { throw .notFound(context.request.head.path) }
        return Reply(status: 200, body: asset.bytes, contentType: asset.contentType, headers: ConsoleAssets.securityHeaders)
    }
}
