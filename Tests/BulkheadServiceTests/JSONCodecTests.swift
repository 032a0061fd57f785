@testable import BulkheadService
import RiskEngine
import Testing

struct JSONCodecTests {
    @Test func amountsAreWrittenAsCanonicalStrings() {
        var writer = JSONWriter()
        writer.array([Amount("64000.25")!, Amount("-0.5")!, Amount(0), Amount("0.00000001")!]) { $0.amount($1) }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"["64000.25","-0.5","0","0.00000001"]"#)
    }

    @Test func scalarsAreWrittenExactly() {
        var writer = JSONWriter()
        writer.array([Int64(0), 7, -7, 1_000_000, .max, .min]) { $0.int($1) }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[0,7,-7,1000000,9223372036854775807,-9223372036854775808]")
        writer = JSONWriter()
        writer.beginArray()
        writer.int(UInt64.max)  // past Int64: the general path
        writer.bool(true)
        writer.bool(false)
        writer.null()
        writer.endArray()
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "[18446744073709551615,true,false,null]")
    }

    @Test func readerIsStrict() throws {
        for bad in ["", " ", "{", "[1,]", "{\"a\":1,}", "{\"a\":1 \"b\":2}", "01", "1.", ".5", "-", "1e", "tru", "\"\\x\"",
            "\"\u{01}\"", "{\"a\":1,\"a\":2}", "[1] [2]", "\"\\ud800\""]
        {
            #expect(throws: JSONReadError.self, "\(bad)") { try JSONReader.parse(Array(bad.utf8)) }
        }
        #expect(throws: JSONReadError.self) { try JSONReader.parse([0x22, 0xC3, 0x28, 0x22]) }  // invalid UTF-8
        let deep = String(repeating: "[", count: 40) + String(repeating: "]", count: 40)
        #expect(throws: JSONReadError.self) { try JSONReader.parse(Array(deep.utf8)) }
        let value = try JSONReader.parse(Array(#" {"n": 1.50e3, "s": "a\u00e9\n\ud83d\ude00", "t": [true, false, null]} "#.utf8))
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object["n"] == .number("1.50e3"))
        #expect(object["s"] == .string("aé\n😀"))
        var writer = JSONWriter()
        writer.value(value)
        #expect(try JSONReader.parse(writer.bytes) == value)
    }

    /// Commas stay right at every depth, also past the writer's 64-level bit stack.
    @Test func writerSeparatesElementsAtEveryDepth() throws {
        var value = JSONValue.array([.number("1"), .string("x")])
        for level in 0..<100 {
            value = level % 2 == 0 ? .array([value, .number("\(level)"), .null]) : .object(JSONObject([("a", value), ("b", .bool(true))]))
        }
        var writer = JSONWriter()
        writer.value(value)
        var limits = JSONReader.Limits()
        limits.maxDepth = 200
        #expect(try JSONReader.parse(writer.bytes, limits: limits) == value)
        var list = JSONWriter()
        list.array([1, 2, 3]) { json, n in json.beginObject(); json.key("n"); json.string("\(n)"); json.endObject() }
        #expect(String(decoding: list.bytes, as: UTF8.self) == #"[{"n":"1"},{"n":"2"},{"n":"3"}]"#)
    }
}
