import BulkheadService

// SERVICE HELPER: replace with the swift-argument-parser command (serve, replay, keys).
@main
struct Bulkhead {
    static func main() {
        print("bulkhead \(BulkheadServiceInfo.version)")
    }
}
