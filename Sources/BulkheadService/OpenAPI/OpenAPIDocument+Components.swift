import RiskEngine

extension OpenAPIDocument {
    static func object(_ required: [String], _ properties: JSONValue, description: String? = nil, example: JSONValue? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", "object")]
        if let description { members.append(("description", .string(description))) }
        if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
        members.append(("properties", properties))
        if let example { members.append(("example", example)) }
        return .object(JSONObject(members))
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    /// `null` or the named schema. OpenAPI 3.0 ignores siblings of `$ref`, so the reference
    /// sits in an `allOf` beside `nullable`: validators and generated clients (an optional of
    /// the same type) both read it that way.
    static func nullable(_ schema: String) -> JSONValue {
        ["allOf": [ref(schema)], "nullable": true]
    }
    /// What `Amount.parse` accepts, kept to 26 integer digits (the limit is 10^26) and 8
    /// fraction digits, no sign but '-', no exponent.
    static let amountPattern = "^-?[0-9]{1,26}(\\.[0-9]{1,8})?$"
    /// RFC 3339 in UTC as the request decoders take it: any fraction, `Z` or a zero offset,
    /// a year the nanosecond clock can hold.
    static let utcTimestampPattern = "^(1[7-9]|2[01])[0-9]{2}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[Tt]([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]+)?([Zz]|[+-]00:00)$"
    static let amount = ref("Amount")
    /// An amount that must not be negative (fees).
    static let nonNegativeAmount: JSONValue = ["type": "string", "pattern": "^[0-9]{1,26}(\\.[0-9]{1,8})?$", "example": "3.2"]
    static let identifier = ref("Identifier")
    static let seconds: JSONValue = ["type": "integer", "minimum": 0, "maximum": 2_147_483_647]

    /// An error answer. `X-Request-Id` is there unless the transport answered before the
    /// application saw the request (malformed HTTP, rate limits, the connection cap).
    static func errorResponse(_ description: String, headers extra: [(key: String, value: JSONValue)] = []) -> JSONValue {
        let requestID: JSONValue = [
            "description": "The request's id (the caller's own when it is 1–128 characters of [A-Za-z0-9._:-]); absent on the transport's own answers.",
            "schema": ["type": "string"],
        ]
        let headers: [(key: String, value: JSONValue)] = [("X-Request-Id", requestID)] + extra
        return [
            "description": .string(description), "headers": .object(JSONObject(headers)),
            "content": ["application/json": ["schema": ref("ErrorResponse")]],
        ]
    }

    static var components: JSONValue {
        [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "Authorization: Bearer <api key>"]],
            "parameters": [
                "Segment": [
                    "name": "segment", "in": "path", "required": true, "description": "Segment id.", "schema": ref("Identifier"),
                    "example": "majors",
                ],
                "Account": [
                    "name": "account", "in": "path", "required": true, "description": "Account id (per segment).",
                    "schema": ref("Identifier"), "example": "alice",
                ],
                "IdempotencyKey": [
                    "name": "Idempotency-Key", "in": "header", "required": false,
                    "description": "1–255 visible ASCII characters (no spaces), compared byte for byte and never percent-decoded; anything else is 400 invalid_header. Same key and same request within the retention window: the stored answer is returned again (header Idempotent-Replayed: true) and nothing is applied twice. Same key, different request: 422 idempotency_key_reused. A concurrent duplicate waits for the first request's answer.",
                    "schema": ["type": "string", "minLength": 1, "maxLength": .number(String(IdempotencyKey.maxLength)), "pattern": "^[\\x21-\\x7E]+$"],
                ],
            ],
            "headers": [
                "XRequestId": [
                    "description": "The request's id, also in the server's log line: the caller's X-Request-Id when it is 1–128 characters of [A-Za-z0-9._:-], else a new one.",
                    "required": true, "schema": ["type": "string"],
                ],
                "IdempotentReplayed": [
                    "description": "true when this is the stored answer to an earlier request with the same Idempotency-Key.",
                    "required": false, "schema": ["type": "string", "enum": ["true"]],
                ],
                "WWWAuthenticate": [
                    "description": "The Bearer challenge (RFC 6750): realm=\"bulkhead\", with error=\"insufficient_scope\" on 403.",
                    "required": true, "schema": ["type": "string"],
                ],
                "RetryAfter": [
                    "description": "Whole seconds to wait before retrying.", "required": true, "schema": ["type": "integer", "minimum": 0],
                ],
            ],
            "responses": [
                "BadRequest": errorResponse(
                    "Malformed: invalid_json, missing_field, invalid_field, invalid_amount, invalid_identifier, invalid_timestamp, invalid_query, invalid_header, invalid_path."
                ),
                "Unauthorized": errorResponse(
                    "unauthorized: no or unknown API key.", headers: [("WWW-Authenticate", header("WWWAuthenticate"))]),
                "Forbidden": errorResponse(
                    "forbidden: the key's role or segments do not allow this.", headers: [("WWW-Authenticate", header("WWWAuthenticate"))]),
                "NotFound": errorResponse("unknown_segment, unknown_account, not_found, unknown_bridge, unknown_transfer."),
                "Conflict": errorResponse("segment_exists."),
                "PayloadTooLarge": errorResponse("body_too_large."),
                "UnsupportedMediaType": errorResponse("unsupported_media_type: send application/json."),
                "Unprocessable": errorResponse(
                    "Well-formed but invalid: unknown_market, collateral_not_permitted, invalid_spec, idempotency_key_reused, amount_out_of_range, segment_limit, invalid_bridge (field named), invalid_transfer (from = to)."
                ),
                "TooManyRequests": errorResponse(
                    "rate_limited (the API key's request quota; without a verified key, the client address's or connection's request rate), address_connection_limit (connections from one address); with Retry-After.",
                    headers: [("Retry-After", header("RetryAfter"))]),
                "RequestTimeout": errorResponse("request_timeout: the request head or body did not arrive within the server's deadline (the transport's answer; the connection closes)."),
                "URITooLong": errorResponse("uri_too_long: the request line is over the server's limit (the transport's answer)."),
                "HeaderFieldsTooLarge": errorResponse("header_too_large: the header section or a field count is over the server's limits (the transport's answer)."),
                "Unavailable": errorResponse(
                    "segment_busy, journal_unavailable, not_ready, no_api_keys, connection_limit, segment_unavailable, transfer_pending, bridge_busy (cluster) (with Retry-After).",
                    headers: [("Retry-After", header("RetryAfter"))]),
            ],
            "schemas": merged(merged(merged(schemas, liveControlSchemas), clusterSchemas), stressSchemas),
        ]
    }

    /// A valid spec (the request example of `POST /v1/segments`): one BTC market, USDC only.
    static let segmentSpecExample: JSONValue = [
        "id": "example", "settlementAsset": "USDC", "collateral": [["asset": "USDC", "weight": "1"]],
        "markets": [["id": "BTC-USD", "initialMarginFraction": "0.05", "maintenanceMarginFraction": "0.03", "maxOpenInterest": "1000"]],
        "oracle": ["maxAgeSeconds": 30, "liquidationMaxAgeSeconds": 300, "maxFutureSkewSeconds": 5, "maxJump": "0.25", "minSources": 1],
        "liquidation": ["penalty": "0.01", "buffer": "0.02", "maxPortion": "0.25", "minNotional": "1000"],
        "insuranceFund": "100000",
        "regimes": [
            "ewmaHalfLifeSeconds": 86400, "hysteresis": "0.2", "cooldownSeconds": 300, "mmRampSeconds": 600,
            "elevated": ["volatility": "1.0", "initialMarginMultiplier": "1.5", "maintenanceMarginMultiplier": "1.25"],
            "isolated": ["volatility": "2.0", "initialMarginMultiplier": "2", "maintenanceMarginMultiplier": "1.5"],
            "reduceOnly": ["volatility": "4.0", "initialMarginMultiplier": "2", "maintenanceMarginMultiplier": "1.5"],
        ],
    ]

    static var schemas: JSONValue {
        [
            "Amount": [
                "type": "string", "pattern": .string(amountPattern),
                "description": "Exact decimal string, at most 8 fractional digits; no exponent.", "example": "64000.5",
            ],
            "Identifier": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$", "minLength": 1, "maxLength": 64],
            "Timestamp": [
                "type": "string", "format": "date-time", "example": "2026-11-24T17:00:00.000Z",
                "description": "RFC 3339 UTC, always with exactly three fraction digits (milliseconds hold every time the service records).",
            ],
            "RejectReason": [
                "type": "string", "description": "Why a risk decision said no (fills, order checks, collateral, transfers).",
                "enum": .array(RejectReason.allCases.map { .string($0.rawValue) }),
            ],
            "PriceRejectReason": ["type": "string", "enum": .array(PriceRejectReason.allCases.map { .string($0.rawValue) })],
            "ErrorResponse": object(
                ["error"],
                ["error": object(["code", "message"], ["code": ["type": "string"], "message": ["type": "string"]])]),
            "Health": object(["status"], ["status": ["type": "string", "enum": ["ok"]]]),
            "Readiness": object(
                ["status"],
                [
                    "status": ["type": "string", "enum": ["ready", "starting", "draining", "degraded"]], "reason": ["type": "string"],
                    "segments": array(identifier),
                ],
                description: "segments (cluster mode only): the segments this instance serves."),
            "Mode": ["type": "string", "enum": ["normal", "elevated", "isolated", "reduce_only", "halted"]],
            "CollateralSpec": object(["asset", "weight"], ["asset": identifier, "weight": amount, "priceMarket": identifier]),
            "MarketSpec": object(
                ["id", "initialMarginFraction", "maintenanceMarginFraction", "maxOpenInterest"],
                [
                    "id": identifier, "initialMarginFraction": amount, "maintenanceMarginFraction": amount, "maxOpenInterest": amount,
                    "openInterestScaling": object(["lower", "upper"], ["lower": amount, "upper": amount]),
                ]),
            "RegimeThreshold": object(
                ["volatility", "initialMarginMultiplier", "maintenanceMarginMultiplier"],
                ["volatility": amount, "initialMarginMultiplier": amount, "maintenanceMarginMultiplier": amount]),
            "SegmentSpec": object(
                ["id", "settlementAsset", "collateral", "markets", "oracle", "liquidation", "insuranceFund", "regimes"],
                [
                    "id": identifier, "settlementAsset": identifier,
                    "collateral": array(ref("CollateralSpec")), "markets": array(ref("MarketSpec")),
                    "oracle": object(
                        ["maxAgeSeconds", "liquidationMaxAgeSeconds", "maxFutureSkewSeconds", "maxJump", "minSources"],
                        [
                            "maxAgeSeconds": seconds, "liquidationMaxAgeSeconds": seconds, "maxFutureSkewSeconds": seconds,
                            "maxJump": amount, "minSources": ["type": "integer", "minimum": 0, "maximum": 1000],
                            "jumpConfirmSeconds": seconds,
                        ]),
                    "governance": ref("GovernanceBounds"),
                    "liquidation": object(
                        ["penalty", "buffer", "maxPortion", "minNotional"],
                        ["penalty": amount, "buffer": amount, "maxPortion": amount, "minNotional": amount]),
                    "insuranceFund": amount,
                    "regimes": object(
                        ["ewmaHalfLifeSeconds", "hysteresis", "cooldownSeconds", "mmRampSeconds", "elevated", "isolated", "reduceOnly"],
                        [
                            "ewmaHalfLifeSeconds": seconds, "hysteresis": amount, "cooldownSeconds": seconds, "mmRampSeconds": seconds,
                            "volatilitySampleSeconds": seconds,
                            "elevated": ref("RegimeThreshold"), "isolated": ref("RegimeThreshold"), "reduceOnly": ref("RegimeThreshold"),
                        ]),
                    "withdrawalFloor": amount, "insuranceFundFloor": amount,
                ], example: segmentSpecExample),
            "Totals": object(
                ["accounts", "collateralValue", "openInterestNotional"],
                ["accounts": ["type": "integer", "minimum": 0], "collateralValue": amount, "openInterestNotional": amount]),
            "SegmentSummary": object(
                ["id", "mode", "marginMultiplier", "settlementAsset", "markets", "insuranceFund", "badDebt", "totals"],
                [
                    "id": identifier, "mode": ref("Mode"), "marginMultiplier": amount, "settlementAsset": identifier,
                    "markets": array(identifier), "insuranceFund": amount, "badDebt": amount, "totals": ref("Totals"),
                ]),
            "SegmentList": object(["segments"], ["segments": array(ref("SegmentSummary"))]),
            "MarketView": object(
                [
                    "id", "indexPrice", "priceTime", "initialMarginFraction", "maintenanceMarginFraction", "openInterest",
                    "maxOpenInterest", "volatility",
                ],
                [
                    "id": identifier, "indexPrice": nullable("Amount"), "priceTime": nullable("Timestamp"),
                    "initialMarginFraction": amount, "maintenanceMarginFraction": amount, "openInterest": amount,
                    "maxOpenInterest": amount, "volatility": amount,
                ]),
            "SegmentView": object(
                ["id", "spec", "mode", "marginMultiplier", "collateral", "markets", "insuranceFund", "badDebt", "totals"],
                [
                    "id": identifier, "spec": ref("SegmentSpec"), "mode": ref("Mode"), "marginMultiplier": amount,
                    "collateral": array(ref("CollateralSpec")), "markets": array(ref("MarketView")), "insuranceFund": amount,
                    "badDebt": amount, "totals": ref("Totals"),
                    // Live control (issue 18).
                    "badDebtTotal": amount, "socializedLossTotal": amount, "version": ["type": "integer", "minimum": 1],
                    "modeFloor": ["type": "string", "nullable": true, "enum": ["isolated", "reduce_only", "halted", nil]],
                ]),
            "PositionSummary": object(
                [
                    "market", "size", "entryPrice", "markPrice", "notional", "unrealizedPnl", "initialMargin", "maintenanceMargin",
                    "liquidationPrice",
                ],
                [
                    "market": identifier, "size": amount, "entryPrice": amount, "markPrice": amount, "notional": amount,
                    "unrealizedPnl": amount, "initialMargin": amount, "maintenanceMargin": amount, "liquidationPrice": nullable("Amount"),
                ]),
            "MarginSummary": object(
                [
                    "segment", "account", "collateralValue", "unrealizedPnl", "equity", "initialMargin", "maintenanceMargin",
                    "freeCollateral", "marginRatio", "status", "positions",
                ],
                [
                    "segment": identifier, "account": identifier, "collateralValue": amount, "unrealizedPnl": amount, "equity": amount,
                    "initialMargin": amount, "maintenanceMargin": amount, "freeCollateral": amount, "marginRatio": nullable("Amount"),
                    "status": ["type": "string", "enum": ["healthy", "at_risk", "liquidatable", "bankrupt"]],
                    "positions": array(ref("PositionSummary")),
                    "balances": array(object(["asset", "balance"], ["asset": identifier, "balance": amount])),
                ]),
            "LiquidationDecision": object(
                [
                    "id", "segment", "account", "market", "sizeClosed", "remainingSize", "price", "bankruptcyPrice", "penalty",
                    "insuranceFundDelta", "badDebt", "socializedLoss", "equityBefore", "maintenanceMarginBefore", "reason", "timestamp",
                ],
                [
                    "id": ["type": "string", "example": "majors:42"], "segment": identifier, "account": identifier, "market": identifier,
                    "sizeClosed": amount, "remainingSize": amount, "price": amount, "bankruptcyPrice": amount, "penalty": amount,
                    "insuranceFundDelta": amount, "badDebt": amount, "socializedLoss": amount, "equityBefore": amount,
                    "maintenanceMarginBefore": amount, "reason": ["type": "string"], "timestamp": ref("Timestamp"),
                ]),
            "FillRequest": object(
                ["account", "market", "size", "price"],
                ["account": identifier, "market": identifier, "size": amount, "price": amount, "fee": nonNegativeAmount],
                example: ["account": "alice", "market": "BTC-USD", "size": "0.01", "price": "64000", "fee": "0.32"]),
            "CollateralRequest": object(
                ["account", "asset", "amount"], ["account": identifier, "asset": identifier, "amount": amount],
                example: ["account": "alice", "asset": "USDC", "amount": "10000"]),
            "PriceInput": object(
                ["market", "price", "timestamp", "source"],
                [
                    "market": identifier, "price": amount,
                    "timestamp": [
                        "type": "string", "format": "date-time", "pattern": .string(utcTimestampPattern),
                        "description": "RFC 3339 in UTC (Z or a zero offset), any number of fraction digits.",
                    ],
                    "source": identifier,
                ]),
            "PriceRequest": object(
                ["prices"], ["prices": ["type": "array", "maxItems": 1000, "items": ref("PriceInput")]],
                example: ["prices": [["market": "BTC-USD", "price": "64000", "timestamp": "2026-11-24T17:00:00.000Z", "source": "feed-a"]]]),
            "Decision": ["type": "string", "enum": ["accepted", "rejected"]],
            "FillResponse": object(
                ["decision", "account"],
                [
                    "decision": ref("Decision"),
                    "reason": ref("RejectReason"), "message": ["type": "string"], "account": ref("MarginSummary"),
                    "liquidations": array(ref("LiquidationDecision")),
                ]),
            "CollateralResponse": object(
                ["decision", "account"],
                [
                    "decision": ref("Decision"), "reason": ref("RejectReason"), "message": ["type": "string"],
                    "account": ref("MarginSummary"),
                ]),
            "PriceResponse": object(
                ["accepted", "rejected", "liquidations", "mode"],
                [
                    "accepted": array(object(["market", "indexPrice"], ["market": identifier, "indexPrice": amount])),
                    "rejected": array(
                        object(
                            ["market", "reason", "message"],
                            [
                                "market": ["type": "string"],
                                "reason": ref("PriceRejectReason"),
                                "message": ["type": "string"],
                            ])),
                    "liquidations": array(ref("LiquidationDecision")), "mode": ref("Mode"),
                    // Live control (issue 18): bounded answers in a cascade.
                    "liquidationsTotal": ["type": "integer", "minimum": 0],
                    "liquidationsNext": ["type": "string", "description": "Cursor for GET …/liquidations?after= (present only when liquidations was capped)."],
                ]),
            "AccountPage": object(
                ["accounts", "next"], ["accounts": array(ref("MarginSummary")), "next": ["type": "string", "nullable": true]]),
            "LiquidationPage": object(
                ["liquidations", "next", "truncated", "oldestRetained"],
                [
                    "liquidations": array(ref("LiquidationDecision")), "next": ["type": "string", "nullable": true],
                    // Liquidation history retention (#17).
                    "truncated": [
                        "type": "boolean",
                        "description":
                            "True when decisions after `after` were dropped by `liquidations.retention` (they remain in the journal): the page starts at `oldestRetained`, not right after `after`.",
                    ],
                    "oldestRetained": [
                        "type": "string", "nullable": true,
                        "description": "Id of the oldest decision still kept (`majors:42`); null when none is kept.",
                    ],
                ]),
            // MARK: Bridges and transfers (#12)
            "TransferRequest": object(
                ["account", "from", "to", "asset", "amount"],
                ["account": identifier, "from": identifier, "to": identifier, "asset": identifier, "amount": amount]),
            "Transfer": object(
                ["id", "state", "account", "from", "to", "asset", "amount", "timestamp"],
                [
                    "id": ["type": "string", "pattern": "^tr-[0-9]{9,20}$", "example": "tr-000000017"],
                    "state": ["type": "string", "enum": ["pending", "completed", "refunded"]],
                    "account": identifier, "from": identifier, "to": identifier, "asset": identifier, "amount": amount,
                    "timestamp": ref("Timestamp"),
                ], description: "A transfer between segments; timestamp is its acceptance (the debit's journaled time)."),
            "TransferResponse": object(
                ["decision", "from"],
                [
                    "decision": ref("Decision"),
                    "reason": ["type": "string", "enum": ["bridge_closed", "bridge_limit", "insufficient_margin", "segment_halted"]],
                    "message": ["type": "string"],
                    "transfer": ref("Transfer"), "from": ref("MarginSummary"), "to": ref("MarginSummary"),
                ],
                description: "Accepted: the transfer once final and durable (completed, or refunded when the credit became impossible), the source account and, when completed, the destination account. Rejected: reason, message and the source account; nothing changed."),
            "Bridge": object(
                ["from", "to", "asset", "windowSeconds", "windowLimit", "maxTransfer"],
                [
                    "from": identifier, "to": identifier, "asset": identifier,
                    "windowSeconds": ["type": "integer", "minimum": 1, "maximum": 2_592_000],
                    "windowLimit": amount, "maxTransfer": amount,
                    "elevatedFactor": ["allOf": [ref("Amount")], "description": "In (0, 1]; default 1."],
                    "enabled": ["type": "boolean", "default": true],
                ], description: "A one-way channel for one asset between two segments, identified by (from, to, asset)."),
            "BridgeStatus": object(
                [
                    "from", "to", "asset", "state", "reason", "windowSeconds", "windowLimit", "effectiveLimit", "usedInWindow", "available",
                    "maxTransfer", "elevatedFactor", "enabled",
                ],
                [
                    "from": identifier, "to": identifier, "asset": identifier,
                    "state": ["type": "string", "enum": ["open", "limited", "closed"]],
                    "reason": ["type": "string", "example": "alts is elevated"],
                    "windowSeconds": seconds, "windowLimit": amount, "effectiveLimit": amount, "usedInWindow": amount,
                    "available": amount, "maxTransfer": amount, "elevatedFactor": amount, "enabled": ["type": "boolean"],
                ]),
            "BridgeList": object(["bridges"], ["bridges": array(ref("BridgeStatus"))]),
            // MARK: end of bridges and transfers
        ]
    }
}
