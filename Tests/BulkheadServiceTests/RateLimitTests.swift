@testable import BulkheadService
import Configuration
import HTTPServer
import Testing

/// The server's rate limits as the service configures them. Limits here refill so slowly
/// (one request per 1,000 s) that an empty bucket stays empty for the whole test: no timing.
@Suite struct RateLimitTests {
    static let trickle = 0.001

    static func expectLimited(_ response: TestResponse, _ code: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 429, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.errorCode == code, "\(response.text)", sourceLocation: sourceLocation)
        #expect(response.header("Content-Type") == "application/json", sourceLocation: sourceLocation)
        #expect((response.json["error"] as? [String: Any])?["message"] is String, sourceLocation: sourceLocation)
        let retry = response.header("Retry-After").flatMap(Int.init)
        #expect(retry != nil && retry! >= 1, "Retry-After: \(response.header("Retry-After") ?? "none")", sourceLocation: sourceLocation)
    }

    /// With `rateLimits.addressLimitsApplyToKeys` (the behaviour before #17) keyed requests
    /// count against the address too; `KeyRateLimitTests` covers the default.
    @Test func addressRateAnswers429WithRetryAfterAcrossConnections() async throws {
        let service = try await TestService.start { settings in
            settings.addressRequestsPerSecond = Self.trickle
            settings.addressRequestBurst = 3
            settings.keyQuotas.addressLimitsApplyToKeys = true
        }
        defer { Task { await service.stop() } }
        // Each call is a new connection: the bucket belongs to the address, not the connection.
        for _ in 0..<3 {
            #expect(try await service.call("GET", "/v1/segments", key: TestKeys.reader).status == 200)
        }
        let limited = try await service.call("GET", "/v1/segments", key: TestKeys.reader)
        Self.expectLimited(limited, "rate_limited")
        // Probes come from the same address and share its budget.
        Self.expectLimited(try await service.call("GET", "/healthz"), "rate_limited")
    }

    @Test func connectionRateLimitsOneConnectionOnly() async throws {
        let service = try await TestService.start { settings in
            settings.connectionRequestsPerSecond = Self.trickle
            settings.connectionRequestBurst = 2
        }
        defer { Task { await service.stop() } }
        let port = service.port
        let statuses = try await onThread {
            let connection = try TestHTTPClient(port: port)
            return try (0..<3).map { _ in try connection.request("GET", "/healthz") }
        }
        #expect(statuses.prefix(2).allSatisfy { $0.status == 200 })
        Self.expectLimited(statuses[2], "rate_limited")
        // A fresh connection has a full bucket of its own.
        #expect(try await service.call("GET", "/healthz").status == 200)
    }

    @Test func connectionsPerAddressAreCapped() async throws {
        let service = try await TestService.start { $0.maxConnectionsPerAddress = 1 }
        defer { Task { await service.stop() } }
        let port = service.port
        let (first, second) = try await onThread {
            let held = try TestHTTPClient(port: port)
            // Answered, so the server has registered this connection before the next arrives.
            let first = try held.request("GET", "/healthz")
            let second = try TestHTTPClient(port: port).request("GET", "/healthz")
            return (first, second)
        }
        #expect(first.status == 200)
        Self.expectLimited(second, "address_connection_limit")
    }

    @Test func defaultsLimitEveryAddressAndZeroTurnsALimitOff() {
        let defaults = ServiceSettings().serverConfiguration
        #expect(defaults.addressRequestRate == HTTPRateLimit(requestsPerSecond: 2_000, burst: 4_000))
        #expect(defaults.connectionRequestRate == HTTPRateLimit(requestsPerSecond: 1_000, burst: 2_000))
        #expect(defaults.maxConnectionsPerAddress == 1_024)
        #expect(defaults.maxTrackedAddresses == 65_536)
        #expect(defaults.retryAfterSeconds == 1)

        var off = ServiceSettings()
        off.addressRequestsPerSecond = 0
        off.connectionRequestsPerSecond = 0
        off.maxConnectionsPerAddress = 0
        let configuration = off.serverConfiguration
        #expect(configuration.addressRequestRate == nil)
        #expect(configuration.connectionRequestRate == nil)
        #expect(configuration.maxConnectionsPerAddress == nil)
    }

    @Test func limitsLoadFromFileAndEnvironment() throws {
        let temporary = try TemporaryFolder("settings")
        let folder = temporary.path
        defer { withExtendedLifetime(temporary) {} }
        try #"{"http": {"addressRequestsPerSecond": 50, "addressRequestBurst": 100, "maxConnectionsPerAddress": 8, "retryAfterSeconds": 5}}"#
            .write(toFile: folder + "/service.json", atomically: true, encoding: .utf8)
        let environment = [
            "BULKHEAD_CONFIG": folder, "BULKHEAD_HTTP_CONNECTION_REQUESTS_PER_SECOND": "7.5",
            "BULKHEAD_HTTP_CONNECTION_REQUEST_BURST": "9", "BULKHEAD_HTTP_MAX_TRACKED_ADDRESSES": "1000",
            "BULKHEAD_HTTP_ADDRESS_REQUEST_BURST": "200",
        ]
        let settings = try ServiceSettings.load(flags: [:], environment: environment)
        #expect(settings.addressRequestsPerSecond == 50)
        #expect(settings.addressRequestBurst == 200, "the environment overrides the file")
        #expect(settings.connectionRequestsPerSecond == 7.5)
        #expect(settings.connectionRequestBurst == 9)
        #expect(settings.maxConnectionsPerAddress == 8)
        #expect(settings.maxTrackedAddresses == 1_000)
        #expect(settings.rateLimitRetryAfterSeconds == 5)

        #expect {
            try ServiceSettings.load(flags: [:], environment: ["BULKHEAD_CONFIG": folder, "BULKHEAD_HTTP_ADDRESS_REQUEST_BURST": "0"])
        } throws: { error in
            "\(error)".contains("BULKHEAD_HTTP_ADDRESS_REQUEST_BURST")
        }
        #expect(throws: ConfigurationError.self) {
            try ServiceSettings.load(flags: [:], environment: ["BULKHEAD_CONFIG": folder, "BULKHEAD_HTTP_ADDRESS_REQUESTS_PER_SECOND": "-1"])
        }
    }

    /// The repo's service.json states the same limits as the built-in defaults.
    @Test func repoServiceFileMatchesTheDefaults() throws {
        let fromRepo = try ServiceSettings.load(flags: ["config": .string(TestService.repoRoot + "/Config")], environment: [:])
        let defaults = ServiceSettings()
        #expect(fromRepo.addressRequestsPerSecond == defaults.addressRequestsPerSecond)
        #expect(fromRepo.addressRequestBurst == defaults.addressRequestBurst)
        #expect(fromRepo.connectionRequestsPerSecond == defaults.connectionRequestsPerSecond)
        #expect(fromRepo.connectionRequestBurst == defaults.connectionRequestBurst)
        #expect(fromRepo.maxConnectionsPerAddress == defaults.maxConnectionsPerAddress)
        #expect(fromRepo.maxTrackedAddresses == defaults.maxTrackedAddresses)
        #expect(fromRepo.rateLimitRetryAfterSeconds == defaults.rateLimitRetryAfterSeconds)
        #expect(fromRepo.keyQuotas == defaults.keyQuotas)
    }
}
