@testable import BulkheadService
import Testing

/// `POST /v1/segments` needs the admin role and a segment scope that covers the new id.
@Suite struct SegmentCreationScopeTests {
    static func spec(_ id: String) throws -> String {
        String(decoding: try ErrorCodeTests.specJSON(id: id), as: UTF8.self)
    }

    @Test func scopedAdminCannotCreateASegmentOutsideItsScope() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }

        let refused = try await service.call("POST", "/v1/segments", key: TestKeys.adminMajors, body: try Self.spec("beyond"))
        #expect(refused.status == 403, "\(refused.text)")
        #expect(refused.errorCode == "forbidden")
        #expect(refused.text.contains("beyond"), "the message names the segment: \(refused.text)")
        #expect(refused.header("WWW-Authenticate")?.contains("insufficient_scope") == true)
        // Nothing was created.
        #expect(try await service.call("GET", "/v1/segments/beyond", key: TestKeys.admin).status == 404)

        // Within its scope the same key gets past authorization (here: the id exists).
        let existing = try await service.call("POST", "/v1/segments", key: TestKeys.adminMajors, body: try Self.spec("majors"))
        #expect(existing.status == 409, "\(existing.text)")
        #expect(existing.errorCode == "segment_exists")

        // An all-segments admin may create it.
        let created = try await service.call("POST", "/v1/segments", key: TestKeys.admin, body: try Self.spec("beyond"))
        #expect(created.status == 201, "\(created.text)")
    }

    @Test func roleIsCheckedBeforeTheBody() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        // A non-admin key with a malformed body: 403, not 400 (the body is not looked at).
        let refused = try await service.call("POST", "/v1/segments", key: TestKeys.reader, body: "{not json")
        #expect(refused.status == 403)
        #expect(refused.errorCode == "forbidden")
        // A scoped admin with a malformed body: the body's error (no id to check scope against).
        let malformed = try await service.call("POST", "/v1/segments", key: TestKeys.adminMajors, body: "{not json")
        #expect(malformed.status == 400)
    }
}
