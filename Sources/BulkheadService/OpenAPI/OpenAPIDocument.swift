/// The API description served at `/openapi.yaml` and `/openapi.json`, rendered from one
/// source (`root`) so both forms always agree; the repo's `openapi.yaml` is this document
/// (`bulkhead openapi > openapi.yaml`; a test keeps them equal).
public enum OpenAPIDocument {
    public static let root: JSONValue = [
        "openapi": "3.0.3",
        "info": [
            "title": "Bulkhead segment risk service",
            "version": .string(BulkheadServiceInfo.version),
            "description": "Isolated collateral pools (segments), each with its own markets, collateral, oracle rules, liquidation engine and insurance fund. Amounts are decimal strings; timestamps RFC 3339 UTC, always written with three fraction digits (2026-11-24T17:00:00.000Z) and read with any; errors are {\"error\":{\"code\",\"message\"}} (ErrorResponse). Every answer from the application carries X-Request-Id. Prose: docs/api.md.",
        ],
        "servers": [["url": "http://127.0.0.1:8080"]],
        "security": [["bearer": []]],
        "tags": [["name": "probes"], ["name": "segments"], ["name": "trading"], ["name": "accounts"], ["name": "bridges"], ["name": "events"], ["name": "governance"], ["name": "stress"], ["name": "console"]],
        "paths": merged(paths, clusterPaths),
        "components": components,
    ]

    public static let json: [UInt8] = {
        var writer = JSONWriter(capacity: 96 * 1024)
        writer.value(root)
        return writer.bytes
    }()

    public static let yaml: [UInt8] = Array(YAMLRendering.render(root).utf8)
}
