import Testing
@testable import HTTPServer

@Suite struct PercentDecodingTests {
    @Test func pathSegmentsKeepPlusAndRejectMalformedEscapes() {
        #expect(PercentDecoding.decode("a%2Fb+c") == "a/b+c")
        #expect(PercentDecoding.decode("caf%C3%A9") == "café")
        #expect(PercentDecoding.decode("bad%2") == nil)
        #expect(PercentDecoding.decode("bad%zz") == nil)
        #expect(PercentDecoding.decode("nul%00") == nil)
        #expect(PercentDecoding.decode("latin%E9") == nil)  // not UTF-8
    }

    @Test func queryComponentsReadPlusAsSpace() {
        #expect(PercentDecoding.decode("a+b", plusIsSpace: true) == "a b")
        #expect(PercentDecoding.decode("a%2Bb+c", plusIsSpace: true) == "a+b c")
        #expect(PercentDecoding.decode("plain", plusIsSpace: true) == "plain")
    }
}
