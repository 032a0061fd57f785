/// The API description served at `/openapi.yaml` and `/openapi.json`, rendered from one
/// source (`OpenAPIDocument.root`) so both forms always agree.
public enum OpenAPIDocument {
    public static let root: JSONValue = ["openapi": "3.0.3"]

    public static let json: [UInt8] = {
        var writer = JSONWriter(capacity: 64 * 1024)
        writer.value(root)
        return writer.bytes
    }()

    public static let yaml: [UInt8] = Array(YAMLRendering.render(root).utf8)
}
