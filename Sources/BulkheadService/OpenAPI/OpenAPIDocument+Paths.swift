extension OpenAPIDocument {
    static func ref(_ schema: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(schema)")] }
    static func response(_ name: String) -> JSONValue { ["$ref": .string("#/components/responses/\(name)")] }

    static func json(_ description: String, _ schema: JSONValue) -> JSONValue {
        ["description": .string(description), "content": ["application/json": ["schema": schema]]]
    }

    static func body(_ schema: String) -> JSONValue {
        ["required": true, "content": ["application/json": ["schema": ref(schema)]]]
    }

    static func parameter(_ name: String) -> JSONValue { ["$ref": .string("#/components/parameters/\(name)")] }
    static func header(_ name: String) -> JSONValue { ["$ref": .string("#/components/headers/\(name)")] }

    // Shared parameters, defined once under components (issue 14): a generated client gets one
    // type for each instead of one per operation.
    static let segmentParameter = parameter("Segment")
    static let accountParameter = parameter("Account")
    static let idempotencyParameter = parameter("IdempotencyKey")
    static let limitParameter: JSONValue = [
        "name": "limit", "in": "query", "required": false, "description": "Page size (default 100).",
        "schema": ["type": "integer", "minimum": 1, "maximum": 1000, "default": 100],
    ]

    /// An operation with its error answers: every status the service can return for it.
    static func operation(
        _ id: String, tag: String, summary: String, secured: Bool = true, parameters: [JSONValue] = [], body: JSONValue? = nil,
        success: [(String, JSONValue)], errors: [String]
    ) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("operationId", .string(id)), ("tags", [.string(tag)]), ("summary", .string(summary)),
        ]
        members.append(("security", secured ? [["bearer": []]] : []))
        if !parameters.isEmpty { members.append(("parameters", .array(parameters))) }
        if let body { members.append(("requestBody", body)) }
        let replayable = parameters.contains(idempotencyParameter)
        var responses: [(key: String, value: JSONValue)] = success.map {
            (key: $0.0, value: withSuccessHeaders($0.1, replayable: replayable))
        }
        for status in errors {
            let name = switch status {
            case "400": "BadRequest"
            case "401": "Unauthorized"
            case "403": "Forbidden"
            case "404": "NotFound"
            case "409": "Conflict"
            case "413": "PayloadTooLarge"
            case "415": "UnsupportedMediaType"
            case "422": "Unprocessable"
            case "429": "TooManyRequests"
            default: "Unavailable"
            }
            responses.append((key: status, value: response(name)))
        }
        // The server's rate limits answer before any route, so every operation can get a 429;
        // so can the transport's answers to a slow or oversized request head (408, 414, 431).
        responses.append((key: "429", value: response("TooManyRequests")))
        responses.append((key: "408", value: response("RequestTimeout")))
        responses.append((key: "414", value: response("URITooLong")))
        responses.append((key: "431", value: response("HeaderFieldsTooLarge")))
        members.append(("responses", .object(JSONObject(responses))))
        return .object(JSONObject(members))
    }

    /// Every answer that passes the application's stages carries `X-Request-Id`; a replayed
    /// answer to an `Idempotency-Key` also `Idempotent-Replayed: true`.
    static func withSuccessHeaders(_ response: JSONValue, replayable: Bool) -> JSONValue {
        guard case .object(var object) = response else { return response }
        var headers: [(key: String, value: JSONValue)] = [("X-Request-Id", header("XRequestId"))]
        if replayable { headers.append(("Idempotent-Replayed", header("IdempotentReplayed"))) }
        object.members.insert(("headers", .object(JSONObject(headers))), at: min(1, object.members.count))
        return .object(object)
    }

    static let readErrors = ["400", "401", "403", "404", "503"]
    static let writeErrors = ["400", "401", "403", "404", "413", "415", "422", "503"]
    static let plannedErrors = ["400", "401", "403", "404", "413", "415", "501", "503"]

    static var paths: JSONValue {
        [
            "/healthz": [
                "get": operation(
                    "healthz", tag: "probes", summary: "Liveness: 200 while the process serves.", secured: false,
                    success: [("200", json("Alive.", ref("Health")))], errors: ["400"])
            ],
            "/readyz": [
                "get": operation(
                    "readyz", tag: "probes", summary: "Readiness: 200 once config is loaded and state recovered.", secured: false,
                    success: [("200", json("Ready.", ref("Readiness"))), ("503", json("Starting, draining or degraded.", ref("Readiness")))],
                    errors: ["400"])
            ],
            "/metrics": [
                "get": operation(
                    "metrics", tag: "probes", summary: "Prometheus metrics.", secured: false,
                    success: [("200", ["description": "Prometheus text format.", "content": ["text/plain": ["schema": ["type": "string"]]]])],
                    errors: ["400"])
            ],
            "/openapi.yaml": [
                "get": operation(
                    "openapiYAML", tag: "probes", summary: "This document as YAML.", secured: false,
                    success: [("200", ["description": "OpenAPI YAML.", "content": ["application/yaml": ["schema": ["type": "object"]]]])],
                    errors: ["400"])
            ],
            "/openapi.json": [
                "get": operation(
                    "openapiJSON", tag: "probes", summary: "This document as JSON.", secured: false,
                    success: [("200", json("OpenAPI JSON.", ["type": "object"]))], errors: ["400"])
            ],
            // The operator console (issue 16): static files, no key; its data come from /v1 with the user's key.
            "/console": [
                "get": operation(
                    "console", tag: "console", summary: "The operator console page (HTML; strict Content-Security-Policy).", secured: false,
                    success: [("200", ["description": "The page.", "content": ["text/html": ["schema": ["type": "string"]]]])],
                    errors: ["400"])
            ],
            "/console/{asset}": [
                "get": operation(
                    "consoleAsset", tag: "console", summary: "A file of the operator console (script, style sheet, icon).", secured: false,
                    parameters: [[
                        "name": "asset", "in": "path", "required": true, "description": "File name.", "schema": ["type": "string"],
                        "example": "app.js",
                    ]],
                    success: [(
                        "200",
                        [
                            "description": "The file.",
                            "content": [
                                "text/javascript": ["schema": ["type": "string"]], "text/css": ["schema": ["type": "string"]],
                                "image/svg+xml": ["schema": ["type": "string"]],
                            ],
                        ]
                    )],
                    errors: ["400", "404"])
            ],
            "/v1/segments": [
                "get": operation(
                    "listSegments", tag: "segments", summary: "Segments the key may read.",
                    success: [("200", json("Segment summaries.", ref("SegmentList")))], errors: ["400", "401", "403", "503"]),
                "post": operation(
                    "createSegment", tag: "segments", summary: "Create a segment at run time (admin).",
                    parameters: [idempotencyParameter], body: body("SegmentSpec"),
                    success: [("201", json("The new segment.", ref("SegmentView")))],
                    errors: ["400", "401", "403", "409", "413", "415", "422", "503"]),
            ],
            "/v1/segments/{segment}": [
                "get": operation(
                    "getSegment", tag: "segments", summary: "A segment's spec and live state.", parameters: [segmentParameter],
                    success: [("200", json("The segment.", ref("SegmentView")))], errors: readErrors)
            ],
            "/v1/segments/{segment}/prices": [
                "post": operation(
                    "postPrices", tag: "trading", summary: "Oracle prices (oracle role); returns the liquidations they caused.",
                    parameters: [segmentParameter, idempotencyParameter], body: body("PriceRequest"),
                    success: [("200", json("Accepted and rejected prices, liquidations, mode.", ref("PriceResponse")))],
                    errors: writeErrors)
            ],
            "/v1/segments/{segment}/positions": [
                "post": operation(
                    "postPosition", tag: "trading", summary: "Apply a fill (trading role). A risk 'no' is 200 with decision rejected.",
                    parameters: [segmentParameter, idempotencyParameter], body: body("FillRequest"),
                    success: [("200", json("The decision and the account after it.", ref("FillResponse")))], errors: writeErrors)
            ],
            "/v1/segments/{segment}/orders/check": [
                "post": operation(
                    "checkOrder", tag: "trading", summary: "Pre-trade check: the same decision as /positions, no state change.",
                    parameters: [segmentParameter], body: body("FillRequest"),
                    success: [("200", json("The decision the fill would get.", ref("FillResponse")))], errors: writeErrors)
            ],
            "/v1/segments/{segment}/collateral": [
                "post": operation(
                    "postCollateral", tag: "trading", summary: "Deposit (amount > 0) or withdraw (amount < 0) collateral.",
                    parameters: [segmentParameter, idempotencyParameter], body: body("CollateralRequest"),
                    success: [("200", json("The decision and the account after it.", ref("CollateralResponse")))], errors: writeErrors)
            ],
            "/v1/segments/{segment}/accounts": [
                "get": operation(
                    "listAccounts", tag: "accounts", summary: "A page of margin summaries sorted by account id.",
                    parameters: [
                        segmentParameter,
                        [
                            "name": "status", "in": "query", "required": false,
                            "schema": ["type": "string", "enum": ["healthy", "at_risk", "liquidatable", "bankrupt"]],
                        ],
                        limitParameter,
                        [
                            "name": "after", "in": "query", "required": false, "description": "Return accounts after this id (the previous page's next).",
                            "schema": ref("Identifier"),
                        ],
                    ],
                    success: [("200", json("A page.", ref("AccountPage")))], errors: readErrors)
            ],
            "/v1/segments/{segment}/accounts/{account}": [
                "get": operation(
                    "getAccount", tag: "accounts", summary: "One account's margin summary.", parameters: [segmentParameter, accountParameter],
                    success: [("200", json("The account.", ref("MarginSummary")))], errors: readErrors)
            ],
            "/v1/segments/{segment}/liquidations": [
                "get": operation(
                    "listLiquidations", tag: "accounts", summary: "Liquidation history, oldest first.",
                    parameters: [
                        segmentParameter, limitParameter,
                        [
                            "name": "after", "in": "query", "required": false,
                            "description": "Return decisions after this id ('majors:42' or '42').",
                            "schema": ["type": "string", "pattern": "^([A-Za-z0-9._-]{1,64}:)?[0-9]{1,19}$"],
                        ],
                    ],
                    success: [("200", json("A page.", ref("LiquidationPage")))], errors: readErrors)
            ],
            // Live control (issue 18).
            "/v1/segments/{segment}/events": [
                "get": eventsOperation
            ],
            "/v1/segments/{segment}/params": [
                "put": operation(
                    "putParams", tag: "governance",
                    summary: "Change risk parameters within the segment's governance bounds (admin). Tightening applies at once (a raised maintenance fraction ramps in over regimes.mmRampSeconds); loosening waits governance.looseningDelaySeconds. 409 version_conflict, 422 param_step_too_large naming field, step and bound.",
                    parameters: [segmentParameter], body: body("ParamsChange"),
                    success: [("200", json("The new version, spec and pending loosenings.", ref("ParamsResponse")))],
                    errors: ["400", "401", "403", "404", "409", "413", "415", "422", "503"])
            ],
            "/v1/segments/{segment}/params/history": [
                "get": operation(
                    "paramsHistory", tag: "governance", summary: "Every accepted parameter change, oldest first.",
                    parameters: [segmentParameter], success: [("200", json("The versions.", ref("ParamsHistory")))], errors: readErrors)
            ],
            "/v1/segments/{segment}/mode": [
                "put": operation(
                    "putMode", tag: "governance",
                    summary: "Admin mode floor under the automatic mode (auto removes it); the mode is the stricter of the two. A mode_change event when it changes.",
                    parameters: [segmentParameter], body: body("ModeRequest"),
                    success: [("200", json("The mode now.", ref("ModeResponse")))], errors: writeErrors)
            ],
            "/v1/segments/{segment}/insurance": [
                "post": operation(
                    "postInsurance", tag: "governance",
                    summary: "Recapitalize the insurance fund (admin); pays outstanding bad debt first.",
                    parameters: [segmentParameter, idempotencyParameter], body: body("InsuranceRequest"),
                    success: [("200", json("The fund after the top-up.", ref("InsuranceResponse")))], errors: writeErrors)
            ],
            // Bridges and transfers (#12).
            "/v1/transfers": [
                "post": operation(
                    "postTransfer", tag: "bridges",
                    summary: "Transfer between segments over a bridge (role trading on both ends). Answers once the transfer is completed or refunded and durable; a rejection (bridge_closed, bridge_limit, insufficient_margin, segment_halted) is 200 and changes nothing. 404 unknown_bridge, 422 when from = to. Cluster: 307 to the instance serving from; 503 transfer_pending (with the id) when the destination's owner has not credited it within cluster.transferWaitMillis — it still completes or is refunded, and a retry with the same Idempotency-Key waits for that transfer.",
                    parameters: [idempotencyParameter], body: body("TransferRequest"),
                    success: [("200", json("Accepted (completed or refunded) or rejected.", ref("TransferResponse")))], errors: writeErrors)
            ],
            "/v1/transfers/{transfer}": [
                "get": operation(
                    "getTransfer", tag: "bridges", summary: "One transfer (role read on both ends); 404 unknown_transfer.",
                    parameters: [
                        [
                            "name": "transfer", "in": "path", "required": true, "description": "Transfer id.",
                            "schema": ["type": "string", "maxLength": 64], "example": "tr-000000017",
                        ]
                    ],
                    success: [("200", json("The transfer.", ref("Transfer")))], errors: readErrors)
            ],
            "/v1/bridges": [
                "get": operation(
                    "listBridges", tag: "bridges",
                    summary: "Bridges with both ends in the key's scope (any key), with the live state derived from both ends' modes and the window's use.",
                    success: [("200", json("The bridges.", ref("BridgeList")))], errors: ["400", "401", "403", "503"]),
                "put": operation(
                    "putBridge", tag: "bridges", summary: "Create or replace the bridge (from, to, asset) (admin on both ends; journaled).",
                    body: body("Bridge"), success: [("200", json("The bridge as now live.", ref("BridgeStatus")))], errors: writeErrors),
                "delete": operation(
                    "deleteBridge", tag: "bridges", summary: "Remove a bridge (admin on both ends; journaled); 404 unknown_bridge.",
                    parameters: ["from", "to", "asset"].map { name in
                        ["name": .string(name), "in": "query", "required": true, "schema": ref("Identifier")]
                    },
                    success: [("200", json("The removed bridge.", ref("Bridge")))], errors: readErrors),
            ],
            "/v1/stress": ["post": stressOperation],
        ]
    }
}
