import Testing
@testable import RiskEngine

@Test func RiskEngineModuleLinks() {
    #expect(Bool(true))
}
