import Foundation
import HTTPWire
import Testing
@testable import BulkheadService

/// Cluster mode's settings (issue 15) and what a single process answers on the cluster route.
struct ClusterSettingsTests {
    @Test func clusterSettingsComeFromTheEnvironmentWithSafeDefaults() throws {
        let defaults = try ServiceSettings.load(flags: ["config": .string("/nonexistent")], environment: [:])
        #expect(defaults.cluster.isEnabled == false, "one process on SQLite stays the default")
        #expect(defaults.cluster.leaseMilliseconds == 10_000 && defaults.cluster.renewMilliseconds == 3_000)

        let settings = try ServiceSettings.load(flags: ["config": .string("/nonexistent")], environment: [
            "BULKHEAD_CLUSTER_URL": "postgres://bulkhead@127.0.0.1:5432/bulkhead", "BULKHEAD_CLUSTER_INSTANCE_ID": "node-1",
            "BULKHEAD_CLUSTER_ADVERTISE": "http://10.0.0.2:8080", "BULKHEAD_CLUSTER_LEASE_MILLIS": "6000",
            "BULKHEAD_CLUSTER_RENEW_MILLIS": "2000", "BULKHEAD_CLUSTER_TRANSFER_WAIT_MILLIS": "2500", "BULKHEAD_CLUSTER_RELAY_BATCH": "32",
        ])
        #expect(settings.cluster.transferWaitMilliseconds == 2_500 && settings.cluster.relayBatch == 32)
        #expect(defaults.cluster.transferWaitMilliseconds == 10_000 && defaults.cluster.relayBatch == 256)
        #expect(settings.cluster.isEnabled)
        #expect(settings.cluster.instanceID == "node-1" && settings.cluster.advertise == "http://10.0.0.2:8080")
        #expect(settings.cluster.leaseMilliseconds == 6_000 && settings.cluster.retryAfterSeconds == 2)
    }

    @Test func incompleteOrUnsafeClusterSettingsFailTheStartNamingTheSetting() {
        let base = [
            "BULKHEAD_CLUSTER_URL": "postgres://bulkhead@127.0.0.1:5432/bulkhead", "BULKHEAD_CLUSTER_INSTANCE_ID": "node-1",
            "BULKHEAD_CLUSTER_ADVERTISE": "http://10.0.0.2:8080",
        ]
        let cases: [(String, String?, String)] = [
            ("BULKHEAD_CLUSTER_INSTANCE_ID", nil, "cluster.instanceId"),
            ("BULKHEAD_CLUSTER_INSTANCE_ID", "has space", "cluster.instanceId"),
            ("BULKHEAD_CLUSTER_ADVERTISE", nil, "cluster.advertise"),
            ("BULKHEAD_CLUSTER_ADVERTISE", "http://10.0.0.2:8080/", "cluster.advertise"),
            ("BULKHEAD_CLUSTER_URL", "mysql://x", "cluster.url"),
            ("BULKHEAD_CLUSTER_RENEW_MILLIS", "5000", "cluster.renewMillis"),
            ("BULKHEAD_CLUSTER_LEASE_MILLIS", "100", "cluster.leaseMillis"),
            ("BULKHEAD_CLUSTER_TRANSFER_WAIT_MILLIS", "0", "cluster.transferWaitMillis"),
            ("BULKHEAD_CLUSTER_RELAY_BATCH", "0", "cluster.relayBatch"),
        ]
        for (name, value, setting) in cases {
            var environment = base
            environment[name] = value
            do {
                _ = try ServiceSettings.load(flags: ["config": .string("/nonexistent")], environment: environment)
                Issue.record("\(name)=\(value ?? "<unset>") was accepted")
            } catch {
                #expect(error.description.contains(setting), "\(error.description)")
            }
        }
    }

    @Test func aSingleProcessDescribesItselfAsStandalone() async throws {
        let service = try await InProcessService.start()
        defer { Task { await service.stop() } }
        let response = await service.call(.get, "/v1/cluster", key: TestKeys.readerAlts)
        #expect(response.status == 200)
        #expect(response.body.contains(#""instance":"standalone","mode":"standalone""#), "\(response.body)")
        #expect(response.body.contains(#""segments":["alts"]"#), "a key sees only the segments in its scope: \(response.body)")
        #expect(await service.call(.get, "/v1/cluster", key: nil).status == 401)
    }
}
