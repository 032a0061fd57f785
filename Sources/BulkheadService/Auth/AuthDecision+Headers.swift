extension AuthDecision {
    /// Response headers a denial must carry: `WWW-Authenticate` on 401 (RFC 9110 §11.6.1) and
    /// 403 (RFC 6750 §3, insufficient_scope), `Retry-After` on 503 (API.md conventions).
    public var responseHeaders: [(name: String, value: String)] {
        switch self {
        case .allowed:
            []
        case .denied(let status, _, _) where status == 401:
            [("WWW-Authenticate", "Bearer realm=\"bulkhead\"")]
        case .denied(let status, _, _) where status == 403:
            [("WWW-Authenticate", "Bearer realm=\"bulkhead\", error=\"insufficient_scope\"")]
        case .denied(let status, _, _) where status == 503:
            [("Retry-After", "30")]
        case .denied:
            []
        }
    }
}
