import Foundation
import Testing
@testable import HTTPServer

@Suite struct CompressionTests {
    @Test(arguments: [
        ("gzip", true), ("GZIP", true), ("deflate, gzip", true), ("gzip;q=0", false), ("gzip; q=0.0", false),
        ("gzip;q=0.5", true), ("*", true), ("*;q=0", false), ("gzip;q=0, *", false), ("identity", false),
        ("br, deflate", false), ("x-gzip", true), ("", false), ("*;q=0, gzip;q=1", true),
    ])
    func acceptEncoding(_ value: String, _ expected: Bool) {
        #expect(AcceptEncoding.allowsGzip(value) == expected)
    }

    @Test func missingHeaderMeansNoGzip() {
        #expect(AcceptEncoding.allowsGzip(nil) == false)
    }

    @Test func gzipRoundTripsThroughGunzip() throws {
        let text = String(repeating: "segment risk ", count: 500)
        let compressed = try #require(GzipEncoder.compress(Array(text.utf8)))
        #expect(compressed.count < text.utf8.count)
        #expect(compressed.prefix(2) == [0x1f, 0x8b])
        #expect(try gunzip(compressed) == Array(text.utf8))
    }

    @Test func gzipOfEmptyBody() throws {
        let compressed = try #require(GzipEncoder.compress([]))
        #expect(try gunzip(compressed) == [])
    }
}

/// Decompresses with the system `gzip -dc`, an implementation independent of ours.
func gunzip(_ bytes: [UInt8]) throws -> [UInt8] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bulkhead-gz-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("body.gz")
    try Data(bytes).write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-dc", file.path]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw RawClient.Failure(description: "gzip -d failed") }
    return Array(output)
}
