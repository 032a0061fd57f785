import RiskEngine

extension ServiceResponder {
    static let defaultPageSize = 100
    static let maxPageSize = 1_000

    /// `GET /v1/segments/{segment}/accounts/{account}`.
    func getAccount(_ context: RequestContext) async throws(APIError) -> Reply {
        let id = context.segment
        let engine = try engine(id)
        let account = try context.account()
        guard let summary = await engine.marginSummary(account: account) else { throw .unknownAccount(account, segment: id) }
        var json = JSONWriter(capacity: 1024)
        summary.write(to: &json)
        return Reply(status: 200, body: json.bytes)
    }

    /// `GET /v1/segments/{segment}/accounts?status=&limit=&after=`.
    func listAccounts(_ context: RequestContext) async throws(APIError) -> Reply {
        let id = context.segment
        let engine = try engine(id)
        var status: AccountStatus?
        var after: String?
        var limit = Self.defaultPageSize
        for (name, value) in try context.query() {
            switch name {
            case "status":
                guard let parsed = AccountStatus(rawValue: value) else {
                    throw .invalidQuery("status", "must be one of \(AccountStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                status = parsed
            case "after":
                guard Identifier.isValid(value) else { throw .invalidQuery("after", "must be an account id") }
                after = value
            case "limit":
                limit = try Self.pageLimit(value)
            default:
                continue
            }
        }
        let page = await engine.marginSummaries(status: status, after: after, limit: limit)
        var json = JSONWriter(capacity: 256 + 1024 * page.count)
        json.beginObject()
        json.key("accounts")
        json.array(page) { json, summary in summary.write(to: &json) }
        json.key("next")
        if page.count == limit, let last = page.last { json.string(last.account) } else { json.null() }
        json.endObject()
        return Reply(status: 200, body: json.bytes)
    }

    /// `GET /v1/segments/{segment}/liquidations?after=&limit=`; `after` is "majors:42" or "42".
    func listLiquidations(_ context: RequestContext) async throws(APIError) -> Reply {
        let id = context.segment
        let engine = try engine(id)
        var after: UInt64 = 0
        var limit = Self.defaultPageSize
        for (name, value) in try context.query() {
            switch name {
            case "after":
                var number = Substring(value)
                if let colon = value.lastIndex(of: ":") {
                    guard value[..<colon] == id else { throw .invalidQuery("after", "must be a liquidation id of segment '\(id)'") }
                    number = value[value.index(after: colon)...]
                }
                guard !number.isEmpty, number.allSatisfy(\.isASCII), let parsed = UInt64(number) else {
                    throw .invalidQuery("after", "must be a liquidation id such as '\(id):42' or '42'")
                }
                after = parsed
            case "limit":
                limit = try Self.pageLimit(value)
            default:
                continue
            }
        }
        let (page, truncated, oldest) = await engine.liquidationPage(after: after, limit: limit)
        var json = JSONWriter(capacity: 256 + 512 * page.count)
        json.beginObject()
        json.key("liquidations")
        LiquidationDecision.write(page, to: &json)
        json.key("next")
        if page.count == limit, let last = page.last { json.string(last.id) } else { json.null() }
        // `liquidations.retention` (#17): decisions between `after` and the oldest kept were
        // dropped from memory (they stay in the journal); say so rather than skip silently.
        json.key("truncated")
        json.bool(truncated)
        json.key("oldestRetained")
        if let oldest { json.string("\(id):\(oldest)") } else { json.null() }
        json.endObject()
        return Reply(status: 200, body: json.bytes)
    }

    static func pageLimit(_ value: String) throws(APIError) -> Int {
        guard value.utf8.count <= 7, value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let limit = Int(value),
            (1...maxPageSize).contains(limit)
        else {
            throw .invalidQuery("limit", "must be an integer in 1…\(maxPageSize)")
        }
        return limit
    }
}
