import Foundation
import Testing
@testable import BulkheadService

@Suite("APIKeyStore: keys.json loading and validation")
struct AuthKeyStoreTests {
    static let repoRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let zeroHash = String(repeating: "0", count: 64)
    static let oneHash = String(repeating: "1", count: 64)

    static func entry(_ fields: String) -> [UInt8] {
        Array("{\"keys\": [\(fields)]}".utf8)
    }

    @Test func embeddedDevelopmentKeysLoadAndMatchTheirDocumentedPlaintext() throws {
        let path = Self.repoRoot.appendingPathComponent("Config/keys.json").path
        let store = try APIKeyStore.load(path: path)
        #expect(store.entries.map(\.id) == ["dev-admin", "dev-oracle", "dev-trading", "dev-read"])
        let expected: [(String, Role)] = [
            ("dev-admin-key", .admin), ("dev-oracle-key", .oracle), ("dev-trading-key", .trading), ("dev-read-key", .read),
        ]
        for (entry, (key, role)) in zip(store.entries, expected) {
            #expect(entry.role == role)
            #expect(entry.segments == nil)
            #expect(entry.digest == SHA256Digest.sha256(of: key))
        }
    }

    @Test func scopedAndWildcardSegmentsParse() throws {
        let store = try APIKeyStore.parse(Self.entry("""
            {"id": "a", "sha256": "\(Self.zeroHash)", "role": "oracle", "segments": ["majors", "alts"]},
            {"id": "b", "sha256": "\(Self.oneHash.uppercased())", "role": "read", "segments": ["*"], "description": "x"}
            """))
        #expect(store.entries[0].segments == ["majors", "alts"])
        #expect(store.entries[1].segments == nil)
        #expect(store.entries[1].digest == [UInt8](repeating: 0x11, count: 32))
    }

    @Test func emptyKeyListIsAnEmptyStore() throws {
        #expect(try APIKeyStore.parse(Array(#"{"keys": []}"#.utf8)).isEmpty)
    }

    struct BadFile: Sendable, CustomStringConvertible {
        var json: String
        var index: Int?
        var field: String?
        var description: String { json }
    }

    static let badFiles: [BadFile] = [
        BadFile(json: "not json", index: nil, field: nil),
        BadFile(json: "[]", index: nil, field: nil),
        BadFile(json: #"{"key": []}"#, index: nil, field: "keys"),
        BadFile(json: #"{"keys": {}}"#, index: nil, field: "keys"),
        BadFile(json: #"{"keys": [1]}"#, index: 0, field: nil),
        BadFile(json: #"{"keys": [{"sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "id"),
        BadFile(json: #"{"keys": [{"id": 7, "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "id"),
        BadFile(json: #"{"keys": [{"id": "", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "id"),
        BadFile(json: #"{"keys": [{"id": "a b", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "id"),
        BadFile(json: #"{"keys": [{"id": "a", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "sha256"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "abc", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "sha256"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(String(repeating: "g", count: 64))", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "sha256"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)0", "role": "admin", "segments": ["*"]}]}"#, index: 0, field: "sha256"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "segments": ["*"]}]}"#, index: 0, field: "role"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "root", "segments": ["*"]}]}"#, index: 0, field: "role"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "Admin", "segments": ["*"]}]}"#, index: 0, field: "role"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin"}]}"#, index: 0, field: "segments"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": "*"}]}"#, index: 0, field: "segments"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": []}]}"#, index: 0, field: "segments"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*", "majors"]}]}"#, index: 0, field: "segments[0]"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["majors", "majors"]}]}"#, index: 0, field: "segments[1]"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["ma/jors"]}]}"#, index: 0, field: "segments[0]"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": [3]}]}"#, index: 0, field: "segments[0]"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segment": ["*"], "segments": ["*"]}]}"#, index: 0, field: "segment"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"], "description": 1}]}"#, index: 0, field: "description"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"]}, {"id": "a", "sha256": "\#(oneHash)", "role": "read", "segments": ["*"]}]}"#, index: 1, field: "id"),
        BadFile(json: #"{"keys": [{"id": "a", "sha256": "\#(zeroHash)", "role": "admin", "segments": ["*"]}, {"id": "b", "sha256": "\#(zeroHash.uppercased())", "role": "read", "segments": ["*"]}]}"#, index: 1, field: "sha256"),
    ]

    @Test(arguments: badFiles)
    func invalidFilesAreRefusedNamingFileIndexAndField(_ bad: BadFile) {
        #expect {
            try APIKeyStore.parse(Array(bad.json.utf8), source: "conf/keys.json")
        } throws: { error in
            guard let error = error as? APIKeyStoreError else { return false }
            return error.file == "conf/keys.json" && error.index == bad.index && error.field == bad.field
                && error.description.hasPrefix("conf/keys.json")
        }
    }

    @Test func errorDescriptionReadsAsLocationThenReason() {
        let error = APIKeyStoreError(file: "Config/keys.json", index: 2, field: "role", reason: "'x' is not a role")
        #expect(error.description == "Config/keys.json: keys[2].role: 'x' is not a role")
        #expect(APIKeyStoreError(file: "f", field: "keys", reason: "r").description == "f: keys: r")
    }

    @Test func sizeAndCountLimitsAreEnforced() {
        let two = Self.entry("""
            {"id": "a", "sha256": "\(Self.zeroHash)", "role": "admin", "segments": ["*"]},
            {"id": "b", "sha256": "\(Self.oneHash)", "role": "admin", "segments": ["*"]}
            """)
        #expect(throws: APIKeyStoreError.self) { try APIKeyStore.parse(two, maxKeys: 1) }
        #expect(throws: APIKeyStoreError.self) { try APIKeyStore.parse(two, maxFileBytes: 10) }
        #expect((try? APIKeyStore.parse(two, maxKeys: 2))?.entries.count == 2)
    }

    @Test func missingFileIsAnEmptyStoreUnlessRequired() throws {
        let path = NSTemporaryDirectory() + "bulkhead-no-such-keys-\(UUID().uuidString).json"
        #expect(throws: APIKeyStoreError.self) { try APIKeyStore.load(path: path, allowMissing: false) }
        let store = try APIKeyStore.load(path: path)
        #expect(store.isEmpty)
        #expect(store.source == path)
    }

    @Test func inMemoryEntriesGetTheSameDuplicateChecks() {
        let digest = SHA256Digest.sha256(of: "k")
        #expect(throws: APIKeyStoreError.self) {
            try APIKeyStore(entries: [
                APIKeyEntry(id: "a", digest: digest, role: .read, segments: nil),
                APIKeyEntry(id: "b", digest: digest, role: .admin, segments: nil),
            ])
        }
        #expect(throws: APIKeyStoreError.self) {
            try APIKeyStore(entries: [APIKeyEntry(id: "a", digest: [1, 2], role: .read, segments: nil)])
        }
    }
}

@Suite("SHA256Digest and APIKeyGenerator")
struct AuthDigestTests {
    @Test func sha256MatchesTheStandardTestVector() {
        #expect(SHA256Digest.hex(SHA256Digest.sha256(of: "abc"))
            == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hexRoundTripsAndRejectsBadInput() {
        let digest = SHA256Digest.sha256(of: "dev-admin-key")
        #expect(SHA256Digest.parseHex(SHA256Digest.hex(digest)) == digest)
        #expect(SHA256Digest.parseHex(SHA256Digest.hex(digest).uppercased()) == digest)
        #expect(SHA256Digest.parseHex("") == nil)
        #expect(SHA256Digest.parseHex(String(repeating: "z", count: 64)) == nil)
        #expect(SHA256Digest.parseHex(" " + String(repeating: "0", count: 63)) == nil)
    }

    @Test func constantTimeEqualComparesWholeDigests() {
        let a = SHA256Digest.sha256(of: "a")
        var b = a
        b[31] ^= 1
        #expect(SHA256Digest.constantTimeEqual(a, a))
        #expect(!SHA256Digest.constantTimeEqual(a, b))
        #expect(!SHA256Digest.constantTimeEqual(a, Array(a.prefix(31))))
    }

    @Test func generatedKeysArePrefixedBase64URLAndDistinct() throws {
        var seen = Set<String>()
        for _ in 0..<64 {
            let key = try APIKeyGenerator.newKey()
            #expect(key.hasPrefix("bhk_"))
            #expect(key.utf8.count == 4 + 43)
            #expect(key.dropFirst(4).allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
            #expect(BearerCredential.parse("Bearer \(key)") == .success(key))
            seen.insert(key)
        }
        #expect(seen.count == 64)
    }

    @Test func base64URLMatchesRFC4648Vectors() {
        #expect(APIKeyGenerator.base64URL(Array("f".utf8)) == "Zg")
        #expect(APIKeyGenerator.base64URL(Array("fo".utf8)) == "Zm8")
        #expect(APIKeyGenerator.base64URL(Array("foo".utf8)) == "Zm9v")
        #expect(APIKeyGenerator.base64URL(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(APIKeyGenerator.base64URL([0xfb, 0xff]) == "-_8")
    }

    @Test func printedEntryLoadsAndAuthorizesTheGeneratedKey() throws {
        let key = try APIKeyGenerator.newKey()
        let line = APIKeyGenerator.entryJSON(id: "feed-majors", key: key, role: .oracle, segments: ["majors"])
        #expect(!line.contains(key))
        let store = try APIKeyStore.parse(Array("{\"keys\": [\(line)]}".utf8))
        let decision = Authorizer(store: store).authorize(
            authorization: "Bearer \(key)", permission: .postPrices, segments: ["majors"])
        #expect(decision == .allowed(Principal(keyID: "feed-majors", role: .oracle, segments: ["majors"])))
    }
}
