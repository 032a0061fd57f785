extension OpenAPIDocument {
    static func object(_ required: [String], _ properties: JSONValue, description: String? = nil) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("type", "object")]
        if let description { members.append(("description", .string(description))) }
        if !required.isEmpty { members.append(("required", .array(required.map { .string($0) }))) }
        members.append(("properties", properties))
        return .object(JSONObject(members))
    }

    static func array(_ items: JSONValue) -> JSONValue { ["type": "array", "items": items] }
    /// Inline (not `$ref`) so `nullable` applies: `type` becomes string-or-null for validators.
    static func nullable(_ schema: String) -> JSONValue {
        schema == "Timestamp"
            ? ["type": "string", "format": "date-time", "nullable": true]
            : ["type": "string", "pattern": .string(amountPattern), "nullable": true]
    }
    static let amountPattern = "^-?[0-9]{1,27}(\\.[0-9]{1,8})?$"
    static let amount = ref("Amount")
    static let identifier = ref("Identifier")
    static let seconds: JSONValue = ["type": "integer", "minimum": 0, "maximum": 2_147_483_647]

    static func errorResponse(_ description: String, retryAfter: Bool = false) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = [("description", .string(description))]
        if retryAfter {
            members.append(("headers", ["Retry-After": ["description": "Seconds to wait.", "schema": ["type": "integer"]]]))
        }
        members.append(("content", ["application/json": ["schema": ref("Error")]]))
        return .object(JSONObject(members))
    }

    static var components: JSONValue {
        [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer", "description": "Authorization: Bearer <api key>"]],
            "responses": [
                "BadRequest": errorResponse(
                    "Malformed: invalid_json, missing_field, invalid_field, invalid_amount, invalid_identifier, invalid_timestamp, invalid_query, invalid_header, invalid_path."
                ),
                "Unauthorized": errorResponse("unauthorized: no or unknown API key."),
                "Forbidden": errorResponse("forbidden: the key's role or segments do not allow this."),
                "NotFound": errorResponse("unknown_segment, unknown_account, not_found, unknown_bridge, unknown_transfer."),
                "Conflict": errorResponse("segment_exists."),
                "PayloadTooLarge": errorResponse("body_too_large."),
                "UnsupportedMediaType": errorResponse("unsupported_media_type: send application/json."),
                "Unprocessable": errorResponse(
                    "Well-formed but invalid: unknown_market, collateral_not_permitted, invalid_spec, idempotency_key_reused, amount_out_of_range, segment_limit, invalid_bridge (field named), invalid_transfer (from = to)."
                ),
                "TooManyRequests": errorResponse(
                    "rate_limited (the client address's or connection's request rate), address_connection_limit (connections from one address); with Retry-After.",
                    retryAfter: true),
                "NotImplemented": errorResponse("not_implemented: a planned route."),
                "Unavailable": errorResponse(
                    "segment_busy, journal_unavailable, not_ready, no_api_keys, connection_limit (with Retry-After).", retryAfter: true),
            ],
            "schemas": schemas,
        ]
    }

    static var schemas: JSONValue {
        [
            "Amount": [
                "type": "string", "pattern": .string(amountPattern),
                "description": "Exact decimal string, at most 8 fractional digits; no exponent.", "example": "64000.5",
            ],
            "Identifier": ["type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$", "minLength": 1, "maxLength": 64],
            "Timestamp": ["type": "string", "format": "date-time", "example": "2026-11-24T17:00:00Z"],
            "Error": object(
                ["error"],
                ["error": object(["code", "message"], ["code": ["type": "string"], "message": ["type": "string"]])]),
            "Health": object(["status"], ["status": ["type": "string", "enum": ["ok"]]]),
            "Readiness": object(
                ["status"],
                ["status": ["type": "string", "enum": ["ready", "starting", "draining", "degraded"]], "reason": ["type": "string"]]),
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
                        ]),
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
                ]),
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
                ["account": identifier, "market": identifier, "size": amount, "price": amount, "fee": amount]),
            "CollateralRequest": object(["account", "asset", "amount"], ["account": identifier, "asset": identifier, "amount": amount]),
            "PriceInput": object(
                ["market", "price", "timestamp", "source"],
                ["market": identifier, "price": amount, "timestamp": ref("Timestamp"), "source": identifier]),
            "PriceRequest": object(["prices"], ["prices": ["type": "array", "maxItems": 1000, "items": ref("PriceInput")]]),
            "Decision": ["type": "string", "enum": ["accepted", "rejected"]],
            "FillResponse": object(
                ["decision", "account"],
                [
                    "decision": ref("Decision"),
                    "reason": ["type": "string", "enum": ["insufficient_margin", "reduce_only", "segment_halted", "stale_price", "open_interest_cap"]],
                    "message": ["type": "string"], "account": ref("MarginSummary"),
                    "liquidations": array(ref("LiquidationDecision")),
                ]),
            "CollateralResponse": object(
                ["decision", "account"],
                [
                    "decision": ref("Decision"), "reason": ["type": "string"], "message": ["type": "string"],
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
                                "reason": [
                                    "type": "string",
                                    "enum": [
                                        "stale_price", "future_timestamp", "out_of_order", "non_positive_price", "price_jump", "unknown_market",
                                        "insufficient_sources",
                                    ],
                                ],
                                "message": ["type": "string"],
                            ])),
                    "liquidations": array(ref("LiquidationDecision")), "mode": ref("Mode"),
                ]),
            "AccountPage": object(
                ["accounts", "next"], ["accounts": array(ref("MarginSummary")), "next": ["type": "string", "nullable": true]]),
            "LiquidationPage": object(
                ["liquidations", "next"],
                ["liquidations": array(ref("LiquidationDecision")), "next": ["type": "string", "nullable": true]]),
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
            "StressRequest": object(
                ["shocks"],
                [
                    "shocks": array(object(["segment", "market", "change"], ["segment": identifier, "market": identifier, "change": amount])),
                    "compare": ["type": "string", "enum": ["monolithic"]],
                ]),
        ]
    }
}
