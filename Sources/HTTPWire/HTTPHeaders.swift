/// Header fields as parsed: names and values kept as bytes; lookups compare
/// case-insensitively on demand, so no `String` or `Dictionary` is built per header.
///
/// One byte storage holds the header section; each field is four offsets into it.
public struct HTTPHeaders: Sendable {
    struct FieldRange: Sendable, Hashable {
        var nameStart: Int32
        var nameEnd: Int32
        var valueStart: Int32
        var valueEnd: Int32
    }

    var storage: [UInt8]
    var ranges: [FieldRange]

    public init() {
        storage = []
        ranges = []
    }

    init(storage: [UInt8], ranges: [FieldRange]) {
        self.storage = storage
        self.ranges = ranges
    }

    /// Builds headers from pairs (tests and responders; the parser never goes through here).
    public init(_ fields: [(name: String, value: String)]) {
        self.init()
        for field in fields { add(name: field.name, value: field.value) }
    }

    public mutating func add(name: String, value: String) {
        let nameStart = Int32(storage.count)
        storage.append(contentsOf: name.utf8)
        let valueStart = Int32(storage.count)
        storage.append(contentsOf: value.utf8)
        ranges.append(FieldRange(nameStart: nameStart, nameEnd: valueStart, valueStart: valueStart, valueEnd: Int32(storage.count)))
    }

    public var count: Int { ranges.count }

    /// First value of the named field (name compared case-insensitively), decoded as UTF-8.
    public func first(_ name: String) -> String? {
        guard let index = firstIndex(of: name) else { return nil }
        return value(at: index)
    }

    /// First value of the named field as bytes (a slice of the shared storage, no copy).
    public func firstBytes(_ name: String) -> ArraySlice<UInt8>? {
        guard let index = firstIndex(of: name) else { return nil }
        let range = ranges[index]
        return storage[Int(range.valueStart)..<Int(range.valueEnd)]
    }

    /// Every value of the named field, in order.
    public func values(_ name: String) -> [String] {
        var result: [String] = []
        var from = 0
        while let index = firstIndex(of: name, from: from) {
            result.append(value(at: index))
            from = index + 1
        }
        return result
    }

    public func contains(_ name: String) -> Bool {
        firstIndex(of: name) != nil
    }

    /// All (name, value) pairs in order, decoded (for logging and tests, not the hot path).
    public var fields: [(name: String, value: String)] {
        ranges.indices.map { (name: self.name(at: $0), value: value(at: $0)) }
    }

    public func name(at index: Int) -> String {
        let range = ranges[index]
        return String(decoding: storage[Int(range.nameStart)..<Int(range.nameEnd)], as: UTF8.self)
    }

    public func value(at index: Int) -> String {
        let range = ranges[index]
        return String(decoding: storage[Int(range.valueStart)..<Int(range.valueEnd)], as: UTF8.self)
    }

    func firstIndex(of name: String, from: Int = 0) -> Int? {
        var name = name
        return name.withUTF8 { key in
            storage.withUnsafeBufferPointer { bytes in
                var index = from
                while index < ranges.count {
                    let range = ranges[index]
                    if Int(range.nameEnd - range.nameStart) == key.count {
                        var equal = true
                        var offset = 0
                        let start = Int(range.nameStart)
                        while offset < key.count {
                            if ByteClass.lowercased(bytes[start + offset]) != ByteClass.lowercased(key[offset]) {
                                equal = false
                                break
                            }
                            offset += 1
                        }
                        if equal { return index }
                    }
                    index += 1
                }
                return nil
            }
        }
    }
}
