/// Journal streams that are not segments. Their ids start with '@', which the identifier
/// grammar never allows, so they cannot clash with a segment; segment recovery skips them.
public enum JournalStream {
    /// `PUT`/`DELETE /v1/bridges`, in order (kinds `bridgePut`, `bridgeRemoved`).
    public static let bridges = "@bridges"

    public static func isReserved(_ id: String) -> Bool { id.hasPrefix("@") }
}
