import HTTPWire
import Testing
@testable import HTTPServer

@Suite struct RouterTests {
    func makeRouter() -> Router<String> {
        var router = Router<String>()
        router.add(.get, "/", "root")
        router.add(.get, "/v1/segments", "list")
        router.add(.get, "/v1/segments/{segment}", "show")
        router.add(.post, "/v1/segments/{segment}/fills", "fill")
        router.add(.get, "/v1/segments/{segment}/accounts/{account}", "account")
        router.add(.delete, "/v1/segments/{segment}/accounts/{account}", "close")
        router.add(.get, "/v1/segments/new", "new")
        return router
    }

    @Test func matchesLiteralsAndParameters() {
        let router = makeRouter()
        guard case .found(let handler, let parameters) = router.match(method: .get, path: "/v1/segments/majors/accounts/acct-1") else {
            Issue.record("no match")
            return
        }
        #expect(handler == "account")
        #expect(parameters["segment"] == "majors")
        #expect(parameters["account"] == "acct-1")
        #expect(parameters.count == 2)
    }

    @Test func rootAndLiteralBeatsParameter() {
        let router = makeRouter()
        if case .found(let handler, _) = router.match(method: .get, path: "/") { #expect(handler == "root") } else { Issue.record("root") }
        if case .found(let handler, let parameters) = router.match(method: .get, path: "/v1/segments/new") {
            #expect(handler == "new")
            #expect(parameters.count == 0)
        } else {
            Issue.record("literal")
        }
    }

    @Test func backtracksFromLiteralToParameter() {
        var router = Router<String>()
        router.add(.get, "/a/new/x", "literal")
        router.add(.get, "/a/{id}/y", "param")
        if case .found(let handler, let parameters) = router.match(method: .get, path: "/a/new/y") {
            #expect(handler == "param")
            #expect(parameters["id"] == "new")
        } else {
            Issue.record("no backtracking")
        }
    }

    @Test func notFoundAndMethodNotAllowed() {
        let router = makeRouter()
        if case .notFound = router.match(method: .get, path: "/v2") {} else { Issue.record("404") }
        if case .notFound = router.match(method: .get, path: "/v1/segments/majors/extra") {} else { Issue.record("404 deep") }
        if case .notFound = router.match(method: .get, path: "/v1/segments/") {} else { Issue.record("empty param") }
        if case .notFound = router.match(method: .get, path: "*") {} else { Issue.record("asterisk") }
        if case .methodNotAllowed(let allowed) = router.match(method: .put, path: "/v1/segments/majors/accounts/a") {
            #expect(allowed.map(\.name) == ["GET", "DELETE", "HEAD"])
        } else {
            Issue.record("405")
        }
        if case .methodNotAllowed(let allowed) = router.match(method: .get, path: "/v1/segments/m/fills") {
            #expect(allowed.map(\.name) == ["POST"])
        } else {
            Issue.record("405 post only")
        }
    }

    @Test func headFallsBackToGet() {
        let router = makeRouter()
        if case .found(let handler, _) = router.match(method: .head, path: "/v1/segments") { #expect(handler == "list") } else { Issue.record("HEAD") }
        if case .methodNotAllowed = router.match(method: .head, path: "/v1/segments/m/fills") {} else { Issue.record("HEAD on POST route") }
    }

    @Test func percentDecodesParameters() {
        let router = makeRouter()
        if case .found(_, let parameters) = router.match(method: .get, path: "/v1/segments/eu%20west/accounts/%C3%A9t%C3%A9") {
            #expect(parameters["segment"] == "eu west")
            #expect(parameters["account"] == "été")
        } else {
            Issue.record("decode")
        }
        if case .found(_, let parameters) = router.match(method: .get, path: "/v1/segments/a%2Fb") {
            #expect(parameters["segment"] == "a/b")
        } else {
            Issue.record("encoded slash stays in one segment")
        }
    }

    @Test(arguments: ["%", "%4", "%zz", "%G1", "%00", "%C3", "%FF%FE"])
    func rejectsInvalidEncodings(_ raw: String) {
        let router = makeRouter()
        if case .invalidPath = router.match(method: .get, path: Substring("/v1/segments/x" + raw)) {} else {
            Issue.record("accepted \(raw)")
        }
    }

    @Test func replacesSameRouteAndListsRoutes() {
        var router = makeRouter()
        router.add(.get, "/", "root2")
        if case .found(let handler, _) = router.match(method: .get, path: "/") { #expect(handler == "root2") }
        #expect(router.routes.count == 7)
        #expect(router.routes.contains { $0.pattern == "/v1/segments/{segment}/accounts/{account}" && $0.method == .delete })
    }

    @Test func otherMethods() {
        var router = Router<Int>()
        router.add(.other("PURGE"), "/cache", 1)
        if case .found(let value, _) = router.match(method: .other("PURGE"), path: "/cache") { #expect(value == 1) } else { Issue.record("custom") }
        if case .methodNotAllowed(let allowed) = router.match(method: .get, path: "/cache") { #expect(allowed == [.other("PURGE")]) }
    }
}
