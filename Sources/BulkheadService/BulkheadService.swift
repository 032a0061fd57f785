/// The application: routes, DTOs, auth, config, metrics, the segment registry.
/// SERVICE HELPER: implement.
public enum BulkheadServiceInfo {
    public static let version = "0.1.0"
}
