import Testing
@testable import HTTPWire

@Test func HTTPWireModuleLinks() {
    #expect(Bool(true))
}
