import RiskEngine

/// The hot routes' JSON codec as a public surface (benchmarks, clients): exactly what the
/// service runs for `/positions` and `/prices` bodies and answers.
public enum ServiceCodec {
    /// Decodes and validates a `/positions` body into a fill arriving at `arrival`.
    public static func decodeFill(_ body: [UInt8], arrival: Timestamp) throws(APIError) -> FillCommand {
        try FillRequest(json: try parse(body)).command(arrival: arrival)
    }

    /// Decodes and validates a `/prices` body.
    public static func decodePrices(_ body: [UInt8], arrival: Timestamp) throws(APIError) -> PriceBatch {
        try PriceRequest(json: try parse(body)).batch(arrival: arrival)
    }

    public static func encode(_ outcome: FillOutcome) -> [UInt8] { outcome.jsonBytes }
    public static func encode(_ outcome: PriceOutcome) -> [UInt8] { outcome.jsonBytes }

    static func parse(_ body: [UInt8]) throws(APIError) -> JSONValue {
        do {
            return try JSONReader.parse(body)
        } catch {
            throw .invalidJSON(error.message)
        }
    }
}
