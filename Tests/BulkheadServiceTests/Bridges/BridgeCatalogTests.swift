import BulkheadService
import RiskEngine
import Testing

@Suite struct BridgeCatalogTests {
    static let specs = try! SegmentCatalog.load(path: TestService.repoRoot + "/Config/segments.json")

    func message(_ json: String) -> String? {
        do { _ = try BridgeCatalog.decode(Array(json.utf8), file: "Config/bridges.json", segments: Self.specs); return nil } catch {
            return error.description
        }
    }

    @Test func theShippedFileLoads() throws {
        let bridges = try BridgeCatalog.load(path: TestService.repoRoot + "/Config/bridges.json", segments: Self.specs)
        #expect(bridges.map(\.key.description) == ["majors → stable (USDC)", "stable → majors (USDC)", "majors → alts (USDC)"])
    }

    /// A bad entry names the file, the entry and the field.
    @Test func errorsNameFileEntryAndField() {
        let good = #"{"from":"majors","to":"alts","asset":"USDC","windowSeconds":60,"windowLimit":"10","maxTransfer":"5"}"#
        #expect(message(#"{"bridges":[\#(good)]}"#) == nil)
        #expect(message(#"{"bridges":[\#(good),{"from":"majors","to":"stable","asset":"USDC","windowSeconds":60,"windowLimit":"10","maxTransfer":"5","elevatedFactor":"1.5"}]}"#)
            == "Config/bridges.json: bridges[1] (majors → stable (USDC)): field 'elevatedFactor': must be in (0, 1]")
        #expect(message(#"{"bridges":[{"from":"majors","to":"nowhere","asset":"USDC","windowSeconds":60,"windowLimit":"10","maxTransfer":"5"}]}"#)
            == "Config/bridges.json: bridges[0] (majors → nowhere (USDC)): field 'to': segment 'nowhere' does not exist")
        #expect(message(#"{"bridges":[{"from":"majors","to":"alts","asset":"USDC","windowSeconds":60,"windowLimit":10,"maxTransfer":"5"}]}"#)?
            .hasPrefix("Config/bridges.json: bridges[0]: field 'windowLimit'") == true)
        #expect(message(#"{"bridges":[\#(good),\#(good)]}"#) == "Config/bridges.json: bridges[1]: duplicate bridge majors → alts (USDC)")
        #expect(message(#"{"bridge":[]}"#)?.hasPrefix("Config/bridges.json: ") == true)
    }
}
