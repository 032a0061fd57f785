import Foundation

/// A self-signed certificate made with the `openssl` CLI in a temporary directory.
struct TestCertificate {
    let directory: URL
    var certificatePath: String { directory.appendingPathComponent("cert.pem").path }
    var privateKeyPath: String { directory.appendingPathComponent("key.pem").path }

    static func make() throws -> TestCertificate {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("bulkhead-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = TestCertificate(directory: directory)
        let status = try run("/usr/bin/openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", certificate.privateKeyPath, "-out", certificate.certificatePath,
            "-days", "1", "-subj", "/CN=localhost",
        ]).status
        guard status == 0 else { throw RawClient.Failure(description: "openssl req failed") }
        return certificate
    }

    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// Runs a tool to completion; returns its exit status and standard output.
@discardableResult
func run(_ tool: String, _ arguments: [String]) throws -> (status: Int32, output: [UInt8]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, Array(output))
}

/// `run` off the cooperative pool (it blocks until the tool exits).
func runAsync(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: [UInt8]) {
    try await offPool { try run(tool, arguments) }
}
