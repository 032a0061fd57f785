/// Issue 13's part of the API description: `POST /v1/stress` and its report.
extension OpenAPIDocument {
    static var stressOperation: JSONValue {
        let base = operation(
            "postStress", tag: "stress",
            summary: "Run a scenario (shocks or a price path) on a copy of the book, segmented and optionally monolithic side by side; nothing live changes (read on every segment of the book).",
            body: ["required": true, "content": ["application/json": ["schema": ref("StressRequest"), "example": stressExample]]],
            success: [("200", json("The report; stateHashBefore = stateHashAfter.", ref("StressReport")))],
            errors: ["400", "401", "403", "404", "413", "415", "422", "503"])
        guard case .object(var object) = base else { return base }
        object.members.insert(("description", .string(stressDescription)), at: 3)
        return .object(object)
    }

    static let stressDescription = """
        The book is `segments` (default: every segment in the key's scope); the key needs read on each and on every segment a shock names (403 forbidden otherwise, before a 404 unknown_segment for one that does not exist). \
        400: invalid_json, invalid_field, missing_field, invalid_amount (a change that is not a decimal string). \
        422: scenario_shocks_and_path (both given), scenario_empty, invalid_change (change ≤ −1), unknown_market, segment_not_in_book (a shock's segment is not in the book), market_has_no_price, duplicate_shock, too_many_steps (past stress.maxSteps), book_too_large (past stress.maxPositions). \
        503 with Retry-After: stress_timeout (the run passed stress.timeoutSeconds), stress_busy (stress.maxConcurrent runs in progress).
        """

    static let stressExample: JSONValue = [
        "segments": ["majors", "alts"],
        "shocks": [["market": "ETH-USD", "change": "-0.43"], ["segment": "alts", "market": "SOL-USD", "change": "-0.6"]],
        "compare": "monolithic",
    ]

    static var stressSchemas: JSONValue {
        let count: JSONValue = ["type": "integer", "minimum": 0]
        let hash: JSONValue = ["type": "string", "pattern": "^[0-9a-f]{16}$", "description": "FNV-1a 64 over the book's segment state hashes."]
        let figureFields = [
            "accountsLiquidated", "liquidationSteps", "accountsBankrupt", "badDebt", "insuranceFundUsed", "insuranceFundAfter",
            "lossSocialized", "contagionLoss", "accountsUnaffected", "modeAfter",
        ]
        return [
            "StressShock": object(
                ["market", "change"],
                [
                    "segment": ["allOf": [identifier], "description": "Only this segment; without it, every segment of the book listing the market."],
                    "market": identifier,
                    "change": ["allOf": [amount], "description": "Relative price change, > −1 (−0.43 is a 43% fall; 29 a 30× pump)."],
                ]),
            "StressRequest": object(
                [],
                [
                    "segments": ["type": "array", "items": identifier, "description": "The book (default: every segment in the key's scope)."],
                    "shocks": ["type": "array", "items": ref("StressShock"), "description": "Changes applied at once. Exactly one of shocks or path."],
                    "path": [
                        "type": "array", "items": array(ref("StressShock")),
                        "description": "Steps in order, each relative to the price before it, liquidating after each; at most stress.maxSteps.",
                    ],
                    "compare": ["type": "string", "enum": ["monolithic"], "description": "Also run the monolithic twin (RISK.md)."],
                ],
                description: "A stress scenario (API.md Stress); a scenario file of Config/scenarios adds name, source and description, which the route ignores."),
            "StressFigures": object(
                figureFields,
                [
                    "segment": ["allOf": [identifier], "description": "The segment (absent on a total)."],
                    "accountsLiquidated": count, "liquidationSteps": count, "accountsBankrupt": count,
                    "badDebt": amount, "insuranceFundUsed": amount, "insuranceFundAfter": amount, "lossSocialized": amount,
                    "contagionLoss": ["allOf": [amount], "description": "Σ max(0, equity before − after) over accounts with no position in a shocked market."],
                    "accountsUnaffected": ["type": "integer", "minimum": 0, "description": "Accounts whose equity did not fall and that were not liquidated."],
                    "modeAfter": ["type": "string", "enum": ["normal", "elevated", "isolated", "reduce_only", "halted"]],
                ]),
            "StressReport": object(
                ["segmented", "capitalEfficiency", "stateHashBefore", "stateHashAfter"],
                [
                    "segmented": object(["segments", "total"], ["segments": array(ref("StressFigures")), "total": ref("StressFigures")]),
                    "monolithic": object(
                        ["total", "bySourceSegment"], ["total": ref("StressFigures"), "bySourceSegment": array(ref("StressFigures"))],
                        description: "With compare: the twin's figures in total and by source segment (a decision by the segment its market came from; contagion and unaffected accounts by the segment where the account had the largest equity)."),
                    "capitalEfficiency": object(
                        ["segmentedCollateralRequired", "monolithicCollateralRequired"],
                        ["segmentedCollateralRequired": amount, "monolithicCollateralRequired": amount],
                        description: "Collateral required for the book as it stands, before the scenario (RISK.md)."),
                    "stateHashBefore": hash, "stateHashAfter": hash,
                    "book": object(
                        ["segmentAccounts", "accountIds", "positions"],
                        ["segmentAccounts": count, "accountIds": count, "positions": count],
                        description: "The book's size: segment accounts, account ids (with compare) and positions."),
                ]),
        ]
    }
}
