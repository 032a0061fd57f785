/// What the push parser has found in the bytes it was fed.
///
/// Sequence per request (see `HTTPRequestParser.next()`):
/// - no body (neither `Content-Length` > 0 nor `Transfer-Encoding: chunked`): `.request` only;
/// - body announced: `.head` as soon as the head is complete and valid (the body may not
///   have arrived yet), then `.request` once the whole body is in — or a thrown error.
public enum HTTPParserEvent: Sendable {
    /// The head is complete; a body follows (answer 100 Continue now if `expectsContinue`).
    case head(HTTPRequestHead)
    /// The request is complete (head repeated, body whole).
    case request(HTTPRequest)
}
