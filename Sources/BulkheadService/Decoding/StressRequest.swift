import RiskEngine

/// Decodes a stress scenario (API.md "Stress"): the body of `POST /v1/stress` and a scenario
/// file of `Config/scenarios/` (which adds `name`, `source`, `description`). Shape errors
/// only; the engine's `StressScenario.validate` judges the scenario against the book.
public struct StressRequest: Sendable {
    public struct Failure: Error, Equatable {
        public var code: String
        public var message: String
    }

    public var scenario = StressScenario()
    /// Scenario files' metadata (accepted and ignored by the route).
    public var name: String? = nil
    public var source: String? = nil

    public init(json value: JSONValue) throws(Failure) {
        guard case .object(let body) = value else { throw Failure(code: "invalid_json", message: "the scenario must be a JSON object") }
        if let segments = body["segments"], segments != .null {
            guard case .array(let items) = segments else { throw Self.field("segments", "expected an array of segment ids") }
            var ids: [String] = []
            for (i, item) in items.enumerated() {
                guard case .string(let id) = item, Identifier.isValid(id) else { throw Self.field("segments[\(i)]", "expected a segment id") }
                ids.append(id)
            }
            scenario.segments = ids
        }
        if let shocks = body["shocks"], shocks != .null {
            scenario.shocks = try Self.step(shocks, path: "shocks")
        }
        if let path = body["path"], path != .null {
            guard case .array(let steps) = path else { throw Self.field("path", "expected an array of steps") }
            var decoded: [[StressShock]] = []
            for (i, step) in steps.enumerated() { decoded.append(try Self.step(step, path: "path[\(i)]")) }
            scenario.path = decoded
        }
        if let compare = body["compare"], compare != .null {
            guard compare == .string("monolithic") else { throw Self.field("compare", "the only comparison is \"monolithic\"") }
            scenario.compareMonolithic = true
        } else {
            scenario.compareMonolithic = false
        }
        if case .string(let text)? = body["name"] { name = text }
        if case .string(let text)? = body["source"] { source = text }
    }

    private static func step(_ value: JSONValue, path: String) throws(Failure) -> [StressShock] {
        guard case .array(let items) = value else { throw field(path, "expected an array of shocks") }
        var shocks: [StressShock] = []
        for (i, item) in items.enumerated() {
            let at = "\(path)[\(i)]"
            guard case .object(let shock) = item else { throw field(at, "expected an object") }
            var segment: String?
            if let value = shock["segment"], value != .null {
                guard case .string(let id) = value, Identifier.isValid(id) else { throw field("\(at).segment", "expected a segment id") }
                segment = id
            }
            guard case .string(let market)? = shock["market"], Identifier.isValid(market) else {
                throw field("\(at).market", "expected a market id")
            }
            guard let change = shock["change"] else { throw Failure(code: "missing_field", message: "\(at).change is required") }
            guard case .string(let text) = change, let amount = Amount(text) else {
                throw Failure(code: "invalid_amount", message: "\(at).change must be a decimal string such as \"-0.43\"")
            }
            shocks.append(StressShock(segment: segment, market: market, change: amount))
        }
        return shocks
    }

    private static func field(_ name: String, _ message: String) -> Failure {
        Failure(code: "invalid_field", message: "\(name): \(message)")
    }
}
