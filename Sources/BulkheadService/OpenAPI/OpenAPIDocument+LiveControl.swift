/// Issue 18's part of the API description: events, governance, admin mode, insurance.
extension OpenAPIDocument {
    static var eventsOperation: JSONValue {
        operation(
            "segmentEvents", tag: "events",
            summary: "Server-Sent Events (text/event-stream, never compressed): opens with retry: 3000, then events with id <journal sequence>.<index>. bridge_state and transfer events are on both ends' streams. Last-Event-ID resumes from the journal (also across restarts) with no gap and no duplicate; past events.retention the stream starts with event: reset. A comment line every events.heartbeatSeconds; a subscriber past events.subscriberQueue queued events is disconnected; beyond events.maxSubscribers streams, 503 with Retry-After. Browsers: use fetch() streaming with the Authorization header (EventSource cannot send it); never put a key in the URL.",
            parameters: [
                segmentParameter,
                [
                    "name": "types", "in": "query", "required": false,
                    "description": "Comma-separated event types: liquidation, mode_change, price_rejected, bridge_state, transfer, params_changed (default: all).",
                    "schema": ["type": "string"],
                ],
                [
                    "name": "Last-Event-ID", "in": "header", "required": false, "description": "Resume after this event id (e.g. 1842.1).",
                    "schema": ["type": "string"],
                ],
            ],
            success: [
                ("200", ["description": "The event stream.", "content": ["text/event-stream": ["schema": ["type": "string"]]]])
            ],
            errors: readErrors)
    }

    static var liveControlSchemas: JSONValue {
        let change = object(
            ["field", "from", "to", "effectiveAt"],
            ["field": ["type": "string"], "from": ["type": "string"], "to": ["type": "string"], "effectiveAt": ref("Timestamp")])
        return [
            "GovernanceBounds": object(
                [],
                [
                    "maxFractionStep": amount, "maxRelativeStep": amount, "maxWeightStep": amount, "maxProportionalStep": amount,
                    "looseningDelaySeconds": seconds,
                ],
                description: "Bounds of one PUT …/params step (RISK.md Governance); defaults 0.02, 2, 0.05, 0.5, 3600."),
            "ParamsChange": object(
                [],
                [
                    "expectedVersion": ["type": "integer", "minimum": 0], "reason": ["type": "string", "maxLength": 1000],
                    "markets": array(object(
                        ["id"],
                        ["id": identifier, "initialMarginFraction": amount, "maintenanceMarginFraction": amount, "maxOpenInterest": amount])),
                    "addMarkets": array(ref("MarketSpec")),
                    "collateral": array(object(["asset", "weight"], ["asset": identifier, "weight": amount, "priceMarket": identifier])),
                    "oracle": ["type": "object"], "liquidation": ["type": "object"], "regimes": ["type": "object"],
                    "insuranceFundFloor": nullable("Amount"),
                ]),
            "ParamsResponse": object(
                ["version", "spec", "pending"],
                [
                    "version": ["type": "integer"], "spec": ref("SegmentSpec"),
                    "pending": array(object(
                        ["field", "value", "effectiveAt"],
                        ["field": ["type": "string"], "value": ["type": "string"], "effectiveAt": ref("Timestamp")])),
                    "liquidations": array(ref("LiquidationDecision")),
                ]),
            "ParamsHistory": object(
                ["versions"],
                [
                    "versions": array(object(
                        ["version", "keyId", "reason", "changes", "timestamp"],
                        [
                            "version": ["type": "integer"], "keyId": ["type": "string"], "reason": ["type": "string"],
                            "changes": array(change), "timestamp": ref("Timestamp"),
                        ]))
                ]),
            "ModeRequest": object(
                ["mode"],
                ["mode": ["type": "string", "enum": ["isolated", "reduce_only", "halted", "auto"]], "reason": ["type": "string", "maxLength": 1000]]),
            "ModeResponse": object(
                ["mode", "floor"],
                [
                    "mode": ref("Mode"), "floor": ["type": "string", "enum": ["isolated", "reduce_only", "halted", "auto"]],
                    "liquidations": array(ref("LiquidationDecision")),
                ]),
            "InsuranceRequest": object(["amount"], ["amount": amount, "reason": ["type": "string", "maxLength": 1000]]),
            "InsuranceResponse": object(
                ["amount", "badDebtPaid", "insuranceFund", "badDebt", "mode"],
                [
                    "amount": amount, "badDebtPaid": amount, "insuranceFund": amount, "badDebt": amount, "mode": ref("Mode"),
                    "liquidations": array(ref("LiquidationDecision")),
                ]),
        ]
    }

    /// `base`'s members, then `extra`'s (both objects).
    static func merged(_ base: JSONValue, _ extra: JSONValue) -> JSONValue {
        guard case .object(let a) = base, case .object(let b) = extra else { return base }
        return .object(JSONObject(a.members + b.members))
    }
}
