@testable import BulkheadService
import Foundation
import Testing

struct OpenAPIDocumentTests {
    /// The committed openapi.yaml is exactly what the server serves (`bulkhead openapi > openapi.yaml`).
    @Test func committedYAMLMatchesTheServedDocument() throws {
        let committed = try String(contentsOfFile: TestService.repoRoot + "/openapi.yaml", encoding: .utf8)
        #expect(committed == String(decoding: OpenAPIDocument.yaml, as: UTF8.self), "regenerate with: bulkhead openapi > openapi.yaml")
    }

    /// Every route the responder answers is described, and nothing else.
    @Test func everyEndpointIsDocumented() throws {
        guard case .object(let root) = OpenAPIDocument.root, case .object(let paths)? = root["paths"] else {
            Issue.record("no paths")
            return
        }
        var documented = Set<String>()
        for (path, item) in paths.members {
            guard case .object(let operations) = item else { continue }
            for (method, _) in operations.members { documented.insert("\(method.uppercased()) \(path)") }
        }
        let served = Set(Endpoint.allCases.map { "\($0.method.name) \($0.pattern)" })
        #expect(documented == served)
    }

    @Test func servedOverHTTP() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let yaml = try await service.call("GET", "/openapi.yaml")
        #expect(yaml.status == 200)
        #expect(yaml.body == OpenAPIDocument.yaml)
        let json = try await service.call("GET", "/openapi.json")
        #expect(json.status == 200)
        #expect(json.json["openapi"] as? String == "3.0.3")
    }
}
