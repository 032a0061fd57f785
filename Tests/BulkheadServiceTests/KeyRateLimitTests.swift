@testable import BulkheadService
import Configuration
import Foundation
import HTTPServer
import Testing

/// Request quotas per API key (#17). Buckets refill from the service clock, a `ManualClock`
/// here: an empty bucket stays empty until the test moves the clock, so nothing depends on
/// timing.
@Suite struct KeyRateLimitTests {
    static let trickle = 0.001
    static let platformKey = "platform-matching-key"

    /// The test keys plus the platform's matching service with a quota of its own.
    static func keysFile(in folder: TemporaryFolder) throws -> String {
        let digest = SHA256Digest.hex(SHA256Digest.sha256(of: platformKey))
        let platform =
            #"{"id":"platform-matching","sha256":"\#(digest)","role":"trading","segments":["*"],"rateLimit":{"requestsPerSecond":100000,"burst":100000}}"#
        let json = String(TestKeys.keysJSON.dropLast(2)) + "," + platform + "]}"
        let path = folder.path + "/keys.json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func aKeysQuotaIsItsOwn() async throws {
        let service = try await TestService.start { settings in
            settings.keyQuotas.byRole[.trading] = HTTPRateLimit(requestsPerSecond: Self.trickle, burst: 2)
        }
        defer { Task { await service.stop() } }
        for _ in 0..<2 {
            #expect(try await service.call("GET", "/v1/segments", key: TestKeys.trader).status == 200)
        }
        let limited = try await service.call("GET", "/v1/segments", key: TestKeys.trader)
        RateLimitTests.expectLimited(limited, "rate_limited")
        #expect(limited.text.contains("t-trader"), "the message names the key id: \(limited.text)")
        // Another key of the same role, and a key of another role, are not throttled.
        #expect(try await service.call("GET", "/v1/segments", key: TestKeys.traderMajors).status == 200)
        #expect(try await service.call("GET", "/v1/segments", key: TestKeys.reader).status == 200)
        // Refused before the handler: a limited write changes nothing.
        let write = try await service.deposit("majors", "alice", "USDC", "10")
        #expect(write.status == 429)
        #expect(try await service.call("GET", "/v1/segments/majors/accounts/alice", key: TestKeys.reader).status == 404)

        let metrics = try await service.call("GET", "/metrics").text
        #expect(metrics.contains(#"bulkhead_rate_limited_total{key="t-trader"} 2"#), "\(metrics)")
        #expect(!metrics.contains(#"key="t-trader-majors""#))
        #expect(!metrics.contains(TestKeys.trader), "never the key itself")

        // The bucket refills with the service clock.
        service.clock.advance(seconds: 1_000)
        #expect(try await service.call("GET", "/v1/segments", key: TestKeys.trader).status == 200)
    }

    @Test func aKeysOwnQuotaReplacesItsRolesAndTheAddressLimitDoesNotApply() async throws {
        let keys = try TemporaryFolder("keys")
        let keysPath = try Self.keysFile(in: keys)
        let service = try await TestService.start { settings in
            settings.keysFile = keysPath
            settings.addressRequestsPerSecond = Self.trickle
            settings.addressRequestBurst = 3
            settings.connectionRequestsPerSecond = Self.trickle
            settings.connectionRequestBurst = 3
            settings.keyQuotas.byRole[.trading] = HTTPRateLimit(requestsPerSecond: Self.trickle, burst: 3)
        }
        defer { Task { await service.stop() } }
        // One address, one connection, far over the address and connection rates and the
        // trading role's default: the platform key's own quota is what applies.
        let port = service.port
        let statuses = try await onThread {
            let connection = try TestHTTPClient(port: port)
            return try (0..<40).map { _ in
                try connection.request(
                    "POST", "/v1/segments/majors/orders/check",
                    headers: [("Authorization", "Bearer \(Self.platformKey)"), ("Content-Type", "application/json")],
                    body: Array(#"{"account":"mm","market":"BTC-USD","size":"0.1","price":"64000"}"#.utf8)
                ).status
            }
        }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        // A key of the same role without its own quota has the role's.
        for _ in 0..<3 { #expect(try await service.call("GET", "/v1/segments", key: TestKeys.trader).status == 200) }
        #expect(try await service.call("GET", "/v1/segments", key: TestKeys.trader).status == 429)
        withExtendedLifetime(keys) {}
    }

    @Test func unauthenticatedAndFailedAuthTrafficIsStillLimitedPerAddress() async throws {
        let service = try await TestService.start { settings in
            settings.addressRequestsPerSecond = Self.trickle
            settings.addressRequestBurst = 3
        }
        defer { Task { await service.stop() } }
        // No key: the transport's per-address bucket.
        for _ in 0..<3 { #expect(try await service.call("GET", "/healthz").status == 200) }
        RateLimitTests.expectLimited(try await service.call("GET", "/healthz"), "rate_limited")
        // An unknown key: not verified, so its address pays (401 until the bucket is empty).
        for _ in 0..<3 { #expect(try await service.call("GET", "/v1/segments", key: "guessed-key").status == 401) }
        RateLimitTests.expectLimited(try await service.call("GET", "/v1/segments", key: "guessed-key"), "rate_limited")
        // Nor can a made-up key buy unlimited probes or unknown routes.
        RateLimitTests.expectLimited(try await service.call("GET", "/healthz", key: "guessed-key"), "rate_limited")
        RateLimitTests.expectLimited(try await service.call("GET", "/v9/nothing", key: "guessed-key"), "rate_limited")
        // A valid key is not throttled by its address being over the limit.
        #expect(try await service.call("GET", "/v1/segments", key: TestKeys.reader).status == 200)
        // Both address buckets are empty now, so read the exposition in process.
        let metrics = String(decoding: service.app.metrics.exposition(), as: UTF8.self)
        #expect(metrics.contains(#"bulkhead_rate_limited_total{key="(none)"}"#), "\(metrics)")
    }

    @Test func keysFileQuotaIsValidated() throws {
        let digest = SHA256Digest.hex(SHA256Digest.sha256(of: "k"))
        func parse(_ rateLimit: String) throws -> APIKeyStore {
            try APIKeyStore.parse(
                Array(#"{"keys":[{"id":"k","sha256":"\#(digest)","role":"trading","segments":["*"],"rateLimit":\#(rateLimit)}]}"#.utf8))
        }
        let store = try parse(#"{"requestsPerSecond":50000,"burst":80000}"#)
        #expect(store.entries[0].rateLimit == HTTPRateLimit(requestsPerSecond: 50_000, burst: 80_000))
        #expect(store.entries[0].principal.rateLimit == store.entries[0].rateLimit)
        #expect(try parse(#"{"requestsPerSecond":10}"#).entries[0].rateLimit?.burst == 20, "burst defaults to two seconds' worth")
        #expect(try parse("null").entries[0].rateLimit == nil)
        for (bad, field) in [
            (#"{"burst":5}"#, "rateLimit.requestsPerSecond"), (#"{"requestsPerSecond":-1}"#, "rateLimit.requestsPerSecond"),
            (#"{"requestsPerSecond":5,"burst":0}"#, "rateLimit.burst"), (#"{"requestsPerSecond":5,"burst":1.5}"#, "rateLimit.burst"),
            (#"{"requestsPerSecond":5,"brust":9}"#, "rateLimit.brust"), ("5", "rateLimit"),
        ] {
            #expect {
                try parse(bad)
            } throws: { error in
                "\(error)".contains(field)
            }
        }
    }

    @Test func roleDefaultsLoadFromSettingsAndAreValidated() throws {
        let temporary = try TemporaryFolder("settings")
        defer { withExtendedLifetime(temporary) {} }
        try #"{"rateLimits": {"trading": {"requestsPerSecond": 30000, "burst": 60000}, "addressLimitsApplyToKeys": true}}"#
            .write(toFile: temporary.path + "/service.json", atomically: true, encoding: .utf8)
        let settings = try ServiceSettings.load(
            flags: [:], environment: ["BULKHEAD_CONFIG": temporary.path, "BULKHEAD_RATE_LIMITS_READ_BURST": "7"])
        #expect(settings.keyQuotas.byRole[.trading] == HTTPRateLimit(requestsPerSecond: 30_000, burst: 60_000))
        #expect(settings.keyQuotas.byRole[.read]?.burst == 7)
        #expect(settings.keyQuotas.byRole[.admin] == ServiceSettings().keyQuotas.byRole[.admin])
        #expect(settings.keyQuotas.addressLimitsApplyToKeys)
        #expect(settings.serverConfiguration.credentialedRequestsSkipRateLimits == false)
        #expect(ServiceSettings().serverConfiguration.credentialedRequestsSkipRateLimits)
        #expect {
            try ServiceSettings.load(flags: [:], environment: ["BULKHEAD_CONFIG": temporary.path, "BULKHEAD_RATE_LIMITS_ORACLE_BURST": "0"])
        } throws: { error in
            "\(error)".contains("rateLimits.oracle.burst")
        }
    }

    /// The address table of unverified keyed requests stays within its bound.
    @Test func unverifiedAddressTableIsBounded() {
        let quotas = RequestQuotas(
            settings: KeyQuotaSettings(), addressRate: HTTPRateLimit(requestsPerSecond: Self.trickle, burst: 1), maxAddresses: 16,
            now: { 0 })
        for index in 0..<100 {
            _ = quotas.chargeUnverified(HTTPRequestSummary(address: "10.0.0.\(index)", hasCredentials: true))
            #expect(quotas.trackedAddresses <= 16)
        }
        #expect(quotas.chargeUnverified(HTTPRequestSummary(address: "10.0.0.99", hasCredentials: true)) != nil)
        #expect(quotas.chargeUnverified(HTTPRequestSummary(address: "10.0.0.99", hasCredentials: false)) == nil)
        #expect(HTTPRequestSummary.host(of: "203.0.113.5:41234") == "203.0.113.5")
        #expect(HTTPRequestSummary.host(of: "[2001:db8::1]:41234") == "[2001:db8::1]")
    }
}
