/// `#element` lists of RFC 9110 §5.6.1: comma-separated, optional whitespace around
/// each element. Empty elements are passed through so callers can be strict about them.
enum ListElements {
    static func forEach(in value: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        var start = 0
        while start <= value.count {
            var end = start
            while end < value.count, value[end] != ByteClass.comma { end += 1 }
            var lower = start
            var upper = end
            while lower < upper, ByteClass.isWhitespace(value[lower]) { lower += 1 }
            while upper > lower, ByteClass.isWhitespace(value[upper - 1]) { upper -= 1 }
            body(UnsafeBufferPointer(rebasing: value[lower..<upper]))
            start = end + 1
        }
    }
}
