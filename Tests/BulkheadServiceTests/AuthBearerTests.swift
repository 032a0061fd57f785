import Testing
@testable import BulkheadService

@Suite("Authorization header parsing")
struct AuthBearerTests {
    @Test(arguments: [
        ("Bearer dev-admin-key", "dev-admin-key"),
        ("bearer dev-admin-key", "dev-admin-key"),  // the scheme is case-insensitive (RFC 9110 §11.1)
        ("BEARER abc", "abc"),
        ("Bearer bhk_-Ab9.~+/==", "bhk_-Ab9.~+/=="),
    ])
    func wellFormedHeadersYieldTheKey(header: String, key: String) {
        #expect(BearerCredential.parse(header) == .success(key))
    }

    @Test func absentOrEmptyHeaderIsMissing() {
        #expect(BearerCredential.parse(nil) == .failure(.missing))
        #expect(BearerCredential.parse("") == .failure(.missing))
    }

    @Test(arguments: [
        "Bearer", "Bearer ", "Bearer  key", " Bearer key", "Bearer key ", "Bearer\tkey", "Bearer key extra",
        "Basic ZGV2OmtleQ==", "Token key", "Bearerkey", "Bearer:key", "Bearer k=ey", "Bearer =",
        "Bearer ké", "Bearer k\"ey", "Bearer k,ey", "Bearer \u{0}key",
        "Bearer " + String(repeating: "a", count: 513),
    ])
    func malformedHeadersAreRefused(header: String) {
        guard case .failure(.malformed) = BearerCredential.parse(header) else {
            Issue.record("accepted \(header.debugDescription)")
            return
        }
    }

    @Test func longestAllowedKeyIsAccepted() {
        let key = String(repeating: "a", count: BearerCredential.maxKeyLength)
        #expect(BearerCredential.parse("Bearer " + key) == .success(key))
    }
}

@Suite("API key digests")
struct SHA256DigestTests {
    /// FIPS 180-2 test vectors, also for a key that is not a native contiguous string.
    @Test func sha256MatchesTheStandardVectors() {
        #expect(SHA256Digest.hex(SHA256Digest.sha256(of: "abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(SHA256Digest.sha256(of: "")) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let long = String(repeating: "dev-trading-key/", count: 8)
        #expect(SHA256Digest.sha256(of: long) == SHA256Digest.sha256(of: String(Substring(long))))
    }
}
