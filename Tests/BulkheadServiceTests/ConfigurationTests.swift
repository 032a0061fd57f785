@testable import BulkheadService
import Configuration
import Foundation
import Testing

struct ConfigurationTests {
    @Test func repoSegmentsAreValidAndDistinct() throws {
        let specs = try SegmentCatalog.load(path: TestService.repoRoot + "/Config/segments.json")
        #expect(specs.map(\.id) == ["majors", "alts", "stable"])
        #expect(specs[0].collateral.contains { $0.asset == "ETH" && $0.priceMarket == "ETH-USD" })
        #expect(Set(specs.map { $0.markets[0].initialMarginFraction }).count == 3, "different risk profiles")
    }

    @Test func badSegmentNamesFileSegmentAndField() throws {
        var text = try String(contentsOfFile: TestService.repoRoot + "/Config/segments.json", encoding: .utf8)
        text = text.replacingOccurrences(of: #""maintenanceMarginFraction": "0.06""#, with: #""maintenanceMarginFraction": "0.6""#)
        do {
            _ = try SegmentCatalog.decode(Array(text.utf8), file: "Config/segments.json")
            Issue.record("expected a failure")
        } catch {
            #expect(error.description.contains("Config/segments.json"))
            #expect(error.description.contains("segment 'alts'"))
            #expect(error.description.contains("markets[0].maintenanceMarginFraction"), "\(error.description)")
        }
        let typed = #"{"segments":[{"id":"x","settlementAsset":"USDC","collateral":[],"markets":[],"oracle":{},"liquidation":{},"insuranceFund":5,"regimes":{}}]}"#
        #expect(throws: ConfigurationError.self) { try SegmentCatalog.decode(Array(typed.utf8), file: "f.json") }
    }

    @Test func precedenceFlagsOverEnvironmentOverFileOverDefaults() throws {
        let temporary = try TemporaryFolder("settings")
        let folder = temporary.path
        defer { withExtendedLifetime(temporary) {} }
        try #"{"port": 9000, "host": "0.0.0.0", "http": {"maxBodyBytes": 4096}, "segments": {"maxInFlight": 7}}"#
            .write(toFile: folder + "/service.json", atomically: true, encoding: .utf8)
        let fileOnly = try ServiceSettings.load(flags: ["config": .string(folder)], environment: [:])
        #expect(fileOnly.port == 9000)
        #expect(fileOnly.host == "0.0.0.0")
        #expect(fileOnly.maxBodyBytes == 4096)
        #expect(fileOnly.segmentMaxInFlight == 7)
        #expect(fileOnly.eventLoops == ServiceSettings().eventLoops)

        let environment = ["BULKHEAD_CONFIG": folder, "BULKHEAD_PORT": "9100", "BULKHEAD_SEGMENTS_MAX_IN_FLIGHT": "9", "BULKHEAD_DATA": "/tmp/d"]
        let withEnvironment = try ServiceSettings.load(flags: [:], environment: environment)
        #expect(withEnvironment.port == 9100)
        #expect(withEnvironment.segmentMaxInFlight == 9)
        #expect(withEnvironment.dataDirectory == "/tmp/d")
        #expect(withEnvironment.host == "0.0.0.0")

        let withFlags = try ServiceSettings.load(flags: ["port": .int(0), "data": .string("/tmp/x")], environment: environment)
        #expect(withFlags.port == 0)
        #expect(withFlags.dataDirectory == "/tmp/x")
        #expect(withFlags.configDirectory == folder)
    }

    @Test func badSettingsNameTheirSource() throws {
        let temporary = try TemporaryFolder("settings")
        let folder = temporary.path
        defer { withExtendedLifetime(temporary) {} }
        try #"{"http": {"maxBodyBytes": "big"}}"#.write(toFile: folder + "/service.json", atomically: true, encoding: .utf8)
        #expect {
            try ServiceSettings.load(flags: ["config": .string(folder)], environment: [:])
        } throws: { error in
            "\(error)".contains("service.json") && "\(error)".contains("http.maxBodyBytes")
        }
        #expect {
            try ServiceSettings.load(flags: [:], environment: ["BULKHEAD_PORT": "eighty"])
        } throws: { error in
            "\(error)".contains("BULKHEAD_PORT")
        }
        #expect {
            try ServiceSettings.load(flags: ["port": .int(70_000)], environment: [:])
        } throws: { error in
            "\(error)".contains("port")
        }
    }

    @Test func environmentNames() {
        #expect(ServiceSettings.environmentName("http.maxBodyBytes") == "BULKHEAD_HTTP_MAX_BODY_BYTES")
        #expect(ServiceSettings.environmentName("port") == "BULKHEAD_PORT")
        #expect(ServiceSettings.environmentName("tlsCert") == "BULKHEAD_TLS_CERT")
    }
}
