/// One request of the h11 differential corpus (see scripts/checks/differential/check.py).
struct DifferentialCase: Sendable, CustomTestStringConvertible {
    var name: String
    var raw: String
    var h11Accepts: Bool
    /// Our expected verdict: h11's, except where the corpus marks us stricter or more lenient.
    var expectAccept: Bool
    var method = ""
    var target = ""
    var version = ""
    var headers: [[String]] = []
    var body = ""
    var h11Error = ""

    var testDescription: String { name }
}

import Testing
