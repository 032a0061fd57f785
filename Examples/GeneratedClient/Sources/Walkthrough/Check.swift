/// A failed expectation of the walk-through: the program prints it and exits non-zero.
struct WalkthroughFailure: Error, CustomStringConvertible {
    var description: String
}

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    guard condition else { throw WalkthroughFailure(description: message()) }
}

func expectEqual<T: Equatable>(_ actual: T, _ expected: T, _ what: String) throws {
    guard actual == expected else { throw WalkthroughFailure(description: "\(what): got \(actual), expected \(expected)") }
}

/// One line per step, so the CI log shows how far it got.
func step(_ text: String) {
    print("  ✓ \(text)")
}
