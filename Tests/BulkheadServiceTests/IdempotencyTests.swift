import Testing

@Suite(.serialized) struct IdempotencyTests {
    static let body = #"{"account":"ida","asset":"USDC","amount":"250"}"#

    func deposit(_ service: TestService, key: String, apiKey: String = TestKeys.trader, body: String = body) async throws -> TestResponse {
        try await service.call(
            "POST", "/v1/segments/majors/collateral", key: apiKey, body: body, headers: [("Idempotency-Key", key)])
    }

    func balance(_ service: TestService, _ account: String = "ida") async throws -> String? {
        let summary = try await service.call("GET", "/v1/segments/majors/accounts/\(account)", key: TestKeys.reader)
        return summary.json["collateralValue"] as? String
    }

    @Test func replayReturnsTheStoredAnswerAndAppliesOnce() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let first = try await deposit(service, key: "dep-1")
        #expect(first.status == 200)
        #expect(first.header("Idempotent-Replayed") == nil)
        let again = try await deposit(service, key: "dep-1")
        #expect(again.status == 200)
        #expect(again.body == first.body)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(try await balance(service) == "250")

        let reused = try await deposit(service, key: "dep-1", body: #"{"account":"ida","asset":"USDC","amount":"999"}"#)
        #expect(reused.status == 422)
        #expect(reused.errorCode == "idempotency_key_reused")
        #expect(try await balance(service) == "250")

        // Keys are scoped per API key: another caller's "dep-1" is a different request.
        let other = try await deposit(service, key: "dep-1", apiKey: TestKeys.traderMajors)
        #expect(other.status == 200)
        #expect(other.header("Idempotent-Replayed") == nil)
        #expect(try await balance(service) == "500")
    }

    @Test func concurrentDuplicatesApplyOnce() async throws {
        let service = try await TestService.start()
        defer { Task { await service.stop() } }
        let responses = try await withThrowingTaskGroup(of: TestResponse.self) { group in
            for _ in 0..<20 { group.addTask { try await self.deposit(service, key: "same") } }
            var all: [TestResponse] = []
            for try await response in group { all.append(response) }
            return all
        }
        #expect(responses.allSatisfy { $0.status == 200 })
        #expect(Set(responses.map(\.body)).count == 1)
        #expect(responses.filter { $0.header("Idempotent-Replayed") == nil }.count == 1)
        #expect(try await balance(service) == "250")
    }

    @Test func storedAnswersSurviveARestart() async throws {
        let service = try await TestService.start()
        let first = try await deposit(service, key: "durable-1")
        #expect(first.status == 200)
        let data = service.dataFolder
        await service.stop()

        let restarted = try await TestService.start(dataFolder: data)
        defer { Task { await restarted.stop() } }
        let again = try await deposit(restarted, key: "durable-1")
        #expect(again.status == 200)
        #expect(again.body == first.body)
        #expect(again.header("Idempotent-Replayed") == "true")
        #expect(try await balance(restarted) == "250")
    }
}
