import HTTPWire
import RiskEngine

/// `PUT …/params`, `GET …/params/history`, `PUT …/mode`, `POST …/insurance` (API.md
/// "Governance"): decoded here, decided by the segment's engine, journaled by its actor.
extension ServiceResponder {
    func putParams(_ context: RequestContext) async throws(APIError) -> Reply {
        let engine = try engine(context.segment)
        let command = try ParamsRequest.command(json: try context.jsonBody(), keyID: context.principal?.keyID ?? "")
        return try await run(.params(command), on: engine, idempotency: nil)
    }

    func paramsHistory(_ context: RequestContext) async throws(APIError) -> Reply {
        let engine = try engine(context.segment)
        let versions = await engine.paramsHistory()
        var json = JSONWriter(capacity: 256 + 256 * versions.count)
        json.beginObject()
        json.key("versions")
        json.array(versions) { json, version in version.write(to: &json) }
        json.endObject()
        return Reply(status: 200, body: json.bytes)
    }

    func putMode(_ context: RequestContext) async throws(APIError) -> Reply {
        let engine = try engine(context.segment)
        let command = try ModeRequest.command(json: try context.jsonBody(), keyID: context.principal?.keyID ?? "")
        return try await run(.mode(command), on: engine, idempotency: nil)
    }

    func postInsurance(_ context: RequestContext, idempotency: IdempotencyContext?) async throws(APIError) -> Reply {
        let engine = try engine(context.segment)
        let command = try InsuranceRequest.command(json: try context.jsonBody(), keyID: context.principal?.keyID ?? "")
        return try await run(.insurance(command), on: engine, idempotency: idempotency)
    }
}
