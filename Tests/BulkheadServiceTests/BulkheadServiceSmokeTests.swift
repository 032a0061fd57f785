import Testing
@testable import BulkheadService

@Test func BulkheadServiceModuleLinks() {
    #expect(Bool(true))
}
