@testable import BulkheadService
import HTTPServer
import HTTPWire
import Testing

/// The route table's declarations agree with themselves: the stages trust them.
@Suite struct RouteTableTests {
    @Test func everyPathScopedRouteNamesItsSegment() {
        for endpoint in Endpoint.allCases where endpoint.scope == .pathSegment {
            #expect(endpoint.pattern.contains("{segment}"), "\(endpoint) is authorized on {segment} but its pattern has none")
        }
    }

    @Test func patternsCaptureOnlyKnownParameterNames() {
        let known = Set(PathParameter.allCases.map(\.rawValue))
        for endpoint in Endpoint.allCases {
            for piece in endpoint.pattern.split(separator: "/") where piece.hasPrefix("{") {
                #expect(known.contains(String(piece.dropFirst().dropLast())), "\(endpoint.pattern) captures an unknown name")
            }
        }
    }

    @Test func onlyProbesGoWithoutAKey() {
        for endpoint in Endpoint.allCases {
            #expect((endpoint.permission == nil) == (endpoint.kind == .probe), "\(endpoint)")
            #expect((endpoint.scope == .none) == (endpoint.permission == nil), "\(endpoint)")
            #expect(endpoint.permission == nil ? !endpoint.pattern.hasPrefix("/v1/") : endpoint.pattern.hasPrefix("/v1/"), "\(endpoint)")
        }
    }

    @Test func segmentCommandsArePostsOnOneSegment() {
        for endpoint in Endpoint.allCases {
            guard case .segmentCommand = endpoint.kind else { continue }
            #expect(endpoint.method == .post)
            #expect(endpoint.scope == .pathSegment)
        }
    }

    @Test func parametersAreReadByName() {
        let table = RouteTable()
        guard case .matched(let match) = table.match(method: .get, path: "/v1/segments/majors/accounts/alice") else {
            Issue.record("no match")
            return
        }
        #expect(match.endpoint == .getAccount)
        #expect(match.parameters[.segment] == "majors")
        #expect(match.parameters[.account] == "alice")
        #expect(match.parameters[.transfer] == "")
    }
}
