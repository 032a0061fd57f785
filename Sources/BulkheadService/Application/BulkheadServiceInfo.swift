/// Version of the service, reported by `bulkhead --version` and the OpenAPI document.
public enum BulkheadServiceInfo {
    public static let version = "0.1.0"
}
