/// Issue 15's part of the API description: cluster mode (API.md "Past one machine").
extension OpenAPIDocument {
    static var clusterPaths: JSONValue {
        [
            "/v1/cluster": [
                "get": operation(
                    "getCluster", tag: "cluster",
                    summary: "Instances of the cluster (any key): each one's URL, the segments it serves (those the key may read), its lease expiry and each lease's fencing token (epoch), as of the last ownership round. A single process answers mode standalone. In cluster mode a request for a segment another instance serves gets 307 with Location (the owner's URL, same path and query) and Bulkhead-Owner; one with no live owner 503 segment_unavailable with Retry-After.",
                    success: [("200", json("The cluster.", ref("Cluster")))], errors: ["400", "401", "403", "503"])
            ]
        ]
    }

    static var clusterSchemas: JSONValue {
        let timestamp = ref("Timestamp")
        let lease = object(
            ["segment", "epoch", "leaseExpiresAt"],
            ["segment": identifier, "epoch": ["type": "integer", "minimum": 1], "leaseExpiresAt": timestamp])
        return [
            "Cluster": object(
                ["instance", "mode", "instances", "unowned"],
                [
                    "instance": ["type": "string"],
                    "mode": ["type": "string", "enum": ["cluster", "standalone"]],
                    "instances": array(object(
                        ["id", "url", "live", "segments", "leaseExpiresAt", "leases"],
                        [
                            "id": ["type": "string"], "url": ["type": "string", "nullable": true], "live": ["type": "boolean"],
                            "segments": array(identifier),
                            "leaseExpiresAt": nullable("Timestamp"),
                            "leases": array(lease),
                        ])),
                    "unowned": array(identifier),
                ],
                description: "unowned: segments whose lease ran out or was given up, not yet taken by another instance.")
        ]
    }
}
