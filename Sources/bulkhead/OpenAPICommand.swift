import ArgumentParser
import BulkheadService

/// `bulkhead openapi`: print the API description the server serves (regenerates openapi.yaml).
struct OpenAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openapi",
        abstract: "Print the OpenAPI document (YAML, or JSON with --json)."
    )

    @Flag(help: "Print JSON instead of YAML.")
    var json = false

    func run() {
        let bytes = json ? OpenAPIDocument.json : OpenAPIDocument.yaml
        print(String(decoding: bytes, as: UTF8.self), terminator: json ? "\n" : "")
    }
}
