import Testing
@testable import Journal

@Test func JournalModuleLinks() {
    #expect(Bool(true))
}
