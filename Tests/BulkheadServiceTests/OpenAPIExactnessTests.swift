@testable import BulkheadService
import Foundation
import RiskEngine
import Testing

/// The served document says what the server does (issue 14): the headers it sends, the
/// reasons it gives, the one shared Idempotency-Key parameter where the route table applies
/// one, the bearer scheme on every keyed operation, no schema named like Swift's `Error`.
@Suite struct OpenAPIExactnessTests {
    let document: [String: Any]

    init() throws {
        document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json)) as? [String: Any])
    }

    private func documented(_ endpoint: Endpoint) -> [String: Any]? {
        let paths = document["paths"] as? [String: Any]
        let item = paths?[endpoint.pattern] as? [String: Any]
        return item?[endpoint.method.name.lowercased()] as? [String: Any]
    }

    private var components: [String: Any] { document["components"] as? [String: Any] ?? [:] }

    @Test func idempotencyKeyIsDeclaredExactlyWhereTheRouteTableAppliesIt() throws {
        for endpoint in Endpoint.allCases {
            let operation = try #require(documented(endpoint), "\(endpoint) is documented")
            let parameters = operation["parameters"] as? [[String: Any]] ?? []
            let declared = parameters.contains { $0["$ref"] as? String == "#/components/parameters/IdempotencyKey" }
            #expect(declared == endpoint.isIdempotent, "\(endpoint.pattern): Idempotency-Key declared \(declared)")
            #expect(!parameters.contains { $0["name"] as? String == "Idempotency-Key" }, "one shared definition, not inline")
            if endpoint.isIdempotent {
                let ok = (operation["responses"] as? [String: Any])?.first { $0.key.hasPrefix("2") }?.value as? [String: Any]
                let headers = ok?["headers"] as? [String: Any]
                #expect(headers?["Idempotent-Replayed"] != nil, "\(endpoint.pattern) declares Idempotent-Replayed")
            }
        }
    }

    @Test func everyKeyedOperationUsesTheBearerSchemeAndDeclaresItsChallenge() throws {
        for endpoint in Endpoint.allCases {
            let operation = try #require(documented(endpoint))
            let security = operation["security"] as? [[String: Any]]
            let responses = operation["responses"] as? [String: Any] ?? [:]
            if endpoint.permission == nil {
                #expect(security?.isEmpty == true, "\(endpoint.pattern) needs no key")
            } else {
                #expect(security?.first?["bearer"] != nil, "\(endpoint.pattern) names the bearer scheme")
                #expect(responses["401"] != nil && responses["403"] != nil, "\(endpoint.pattern) lists 401 and 403")
            }
            for (status, response) in responses where status.hasPrefix("2") {
                let headers = (response as? [String: Any])?["headers"] as? [String: Any]
                #expect(headers?["X-Request-Id"] != nil, "\(endpoint.pattern) \(status) declares X-Request-Id")
            }
        }
        let responses = components["responses"] as? [String: Any] ?? [:]
        func headers(_ name: String) -> [String: Any] { (responses[name] as? [String: Any])?["headers"] as? [String: Any] ?? [:] }
        #expect(headers("Unauthorized")["WWW-Authenticate"] != nil)
        #expect(headers("Forbidden")["WWW-Authenticate"] != nil)
        #expect(headers("TooManyRequests")["Retry-After"] != nil)
        #expect(headers("Unavailable")["Retry-After"] != nil)
    }

    @Test func reasonEnumsAreTheEnginesOwn() throws {
        let schemas = try #require(components["schemas"] as? [String: Any])
        #expect(schemas["Error"] == nil, "collides with Swift's Error in generated clients")
        #expect(schemas["ErrorResponse"] != nil)
        let reasons = (schemas["RejectReason"] as? [String: Any])?["enum"] as? [String]
        #expect(reasons == RejectReason.allCases.map(\.rawValue))
        let priceReasons = (schemas["PriceRejectReason"] as? [String: Any])?["enum"] as? [String]
        #expect(priceReasons == PriceRejectReason.allCases.map(\.rawValue))
        for schema in ["FillResponse", "CollateralResponse"] {
            let properties = (schemas[schema] as? [String: Any])?["properties"] as? [String: Any]
            let reason = properties?["reason"] as? [String: Any]
            #expect(reason?["$ref"] as? String == "#/components/schemas/RejectReason", "\(schema).reason")
        }
    }

    @Test func nullableValuesReuseTheirSchema() throws {
        let schemas = try #require(components["schemas"] as? [String: Any])
        for (schema, field, target) in [
            ("MarketView", "indexPrice", "Amount"), ("MarketView", "priceTime", "Timestamp"),
            ("MarginSummary", "marginRatio", "Amount"), ("PositionSummary", "liquidationPrice", "Amount"),
        ] {
            let property = ((schemas[schema] as? [String: Any])?["properties"] as? [String: Any])?[field] as? [String: Any]
            #expect(property?["nullable"] as? Bool == true, "\(schema).\(field)")
            let allOf = property?["allOf"] as? [[String: Any]]
            #expect(allOf?.first?["$ref"] as? String == "#/components/schemas/\(target)", "\(schema).\(field)")
        }
    }

    /// The patterns the document gives are the server's: what matches is accepted.
    @Test(arguments: ["0", "-0.5", "64000.25", "12345678901234567890123456.12345678"])
    func amountPatternMatchesOnlyWhatTheServerParses(text: String) throws {
        let pattern = try Regex(OpenAPIDocument.amountPattern)
        #expect(text.wholeMatch(of: pattern) != nil)
        #expect((try? Amount.parse(text)) != nil)
    }

    @Test(arguments: ["2026-11-24T17:00:00Z", "2026-11-24T17:00:00.123456789123Z", "2026-11-24t17:00:00.5+00:00"])
    func timestampPatternMatchesOnlyWhatTheServerParses(text: String) throws {
        let pattern = try Regex(OpenAPIDocument.utcTimestampPattern)
        #expect(text.wholeMatch(of: pattern) != nil)
        #expect(Timestamp.parseRFC3339(text) != nil)
    }
}
