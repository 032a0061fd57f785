import Foundation
@testable import BulkheadService

extension TestService {
    func transfer(
        _ account: String, _ from: String, _ to: String, _ amount: String, asset: String = "USDC", key: String = TestKeys.trader,
        headers: [(String, String)] = []
    ) async throws -> TestResponse {
        try await call(
            "POST", "/v1/transfers", key: key,
            body: #"{"account":"\#(account)","from":"\#(from)","to":"\#(to)","asset":"\#(asset)","amount":"\#(amount)"}"#,
            headers: headers)
    }

    /// An account's balance of an asset ("0" for an account the segment has never seen).
    func balance(_ segment: String, _ account: String, _ asset: String = "USDC") async throws -> String {
        let response = try await call("GET", "/v1/segments/\(segment)/accounts/\(account)", key: TestKeys.reader)
        guard response.status == 200 else { return "0" }
        let balances = response.json["balances"] as? [[String: Any]] ?? []
        return balances.first { $0["asset"] as? String == asset }?["balance"] as? String ?? "0"
    }

    /// Every account's USDC balance in a segment, by account id, plus the insurance fund as "@insurance".
    func balances(_ segment: String) async throws -> [String: String] {
        var result: [String: String] = [:]
        var after: String?
        repeat {
            let target = "/v1/segments/\(segment)/accounts?limit=1000" + (after.map { "&after=\($0)" } ?? "")
            let page = try await call("GET", target, key: TestKeys.reader).json
            for account in page["accounts"] as? [[String: Any]] ?? [] {
                let balances = account["balances"] as? [[String: Any]] ?? []
                result[account["account"] as! String] = balances.first { $0["asset"] as? String == "USDC" }?["balance"] as? String ?? "0"
            }
            after = page["next"] as? String
        } while after != nil
        let view = try await call("GET", "/v1/segments/\(segment)", key: TestKeys.reader).json
        result["@insurance"] = view["insuranceFund"] as? String
        return result
    }

    /// The bridge entry of `GET /v1/bridges`.
    func bridge(_ from: String, _ to: String, key: String = TestKeys.reader) async throws -> [String: Any]? {
        let list = try await call("GET", "/v1/bridges", key: key).json["bridges"] as? [[String: Any]] ?? []
        return list.first { $0["from"] as? String == from && $0["to"] as? String == to }
    }
}

extension TestResponse {
    var transfer: [String: Any]? { json["transfer"] as? [String: Any] }
    var decision: String? { json["decision"] as? String }
    var reason: String? { json["reason"] as? String }
}
