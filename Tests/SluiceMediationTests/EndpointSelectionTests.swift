import NIOCore
import SluiceMediation
import SluiceModel
import Testing

@Suite struct EndpointSelectionTests {
    static let now = NIODeadline.uptimeNanoseconds(1_000_000_000)

    static func resolve(
        _ definition: EndpointDefinition,
        endpoints: [EndpointDefinition] = []
    ) throws -> ResolvedEndpoint {
        let program = try MediationCompiler().compileProgram(sequences: [], endpoints: endpoints)
        return try MediationCompiler().resolve(endpoint: definition, in: program)
    }

    static func group(_ kind: String, members: [String], failover: Bool = true) -> EndpointDefinition {
        let definitions = members.map { Build.address("http://\($0)", name: $0) }
        return EndpointDefinition(
            name: kind,
            kind: kind == "lb"
                ? .loadbalance(LoadbalanceEndpoint(failover: failover, members: definitions))
                : .failover(FailoverEndpoint(members: definitions))
        )
    }

    /// Runs one attempt, failing every member in `failing`, and returns the names tried.
    static func tried(_ endpoint: ResolvedEndpoint, failing: Set<String> = [], code: Int = 101503) -> [String] {
        var attempt = endpoint.makeAttempt()
        var names: [String] = []
        while let leaf = attempt.next(now: now) {
            let name = leaf.displayName
            names.append(name)
            attempt.report(failing.contains(name) ? .failure(errorCode: code) : .success, now: now)
        }
        return names
    }

    @Test func loadbalanceRoundRobins() throws {
        let endpoint = try Self.resolve(Self.group("lb", members: ["a", "b", "c"]))
        let firsts = (0..<6).map { _ in Self.tried(endpoint).first ?? "-" }
        #expect(firsts == ["a", "b", "c", "a", "b", "c"])
    }

    @Test func loadbalanceFailsOverToTheNextMember() throws {
        let endpoint = try Self.resolve(Self.group("lb", members: ["a", "b", "c"]))
        #expect(Self.tried(endpoint, failing: ["a"]) == ["a", "b"])
        // The rotation moves on per message; a is suspended now, so its turn goes to the member after it.
        #expect(Self.tried(endpoint) == ["b"])
        #expect(Self.tried(endpoint) == ["c"])
        #expect(Self.tried(endpoint) == ["b"])
    }

    @Test func loadbalanceWithoutFailoverTriesOneMember() throws {
        let endpoint = try Self.resolve(Self.group("lb", members: ["a", "b"], failover: false))
        var attempt = endpoint.makeAttempt()
        let next = attempt.next(now: Self.now)
        let leaf = try #require(next)
        attempt.report(.failure(errorCode: 101503), now: Self.now)
        #expect(attempt.next(now: Self.now) == nil)
        #expect(attempt.exhaustionFault.code == 101503)
        #expect(leaf.displayName == "a")
    }

    @Test func failoverUsesPrimaryFirstAndReturnsAfterRecovery() throws {
        let endpoint = try Self.resolve(Self.group("fo", members: ["primary", "backup"]))
        #expect(Self.tried(endpoint) == ["primary"])
        #expect(Self.tried(endpoint, failing: ["primary"]) == ["primary", "backup"])
        #expect(Self.tried(endpoint) == ["backup"])
        // After the suspension (30 s by default) the primary is tried again and takes over when it answers.
        var attempt = endpoint.makeAttempt()
        let later = Self.now + .seconds(31)
        #expect(attempt.next(now: later)?.displayName == "primary")
        attempt.report(.success, now: later)
        #expect(Self.tried(endpoint) == ["primary"])
    }

    @Test func allMembersDownFailsFastWithGroupFault() throws {
        let endpoint = try Self.resolve(Self.group("fo", members: ["x", "y"]))
        #expect(Self.tried(endpoint, failing: ["x", "y"]) == ["x", "y"])
        var attempt = endpoint.makeAttempt()
        #expect(attempt.next(now: Self.now) == nil)
        #expect(attempt.exhaustionFault.code == 303000)
    }

    @Test func suspendedLeafFailsFastWith303001() throws {
        let endpoint = try Self.resolve(Build.address("http://one", name: "OrdersEP"))
        #expect(Self.tried(endpoint, failing: ["OrdersEP"]) == ["OrdersEP"])
        var attempt = endpoint.makeAttempt()
        #expect(attempt.next(now: Self.now) == nil)
        let fault = attempt.exhaustionFault
        #expect(fault.code == 303001)
        #expect(fault.message == "Currently , Address endpoint : [ Name : OrdersEP ] [ State : SUSPENDED ]")
    }

    @Test func nestedGroupsCountEachLeafOnce() throws {
        let inner = Self.group("lb", members: ["a", "b"])
        let outer = EndpointDefinition(
            name: "outer",
            kind: .failover(FailoverEndpoint(members: [inner, Build.address("http://c", name: "c")]))
        )
        let endpoint = try Self.resolve(outer)
        #expect(Self.tried(endpoint, failing: ["a", "b"]) == ["a", "b", "c"])
        let states = endpoint.leaves.map { $0.state.snapshot.state.name }
        #expect(states == ["SUSPENDED", "SUSPENDED", "ACTIVE"])
    }

    @Test func namedEndpointsShareState() throws {
        let program = try MediationCompiler().compileProgram(
            sequences: [],
            endpoints: [Build.address("http://shared", name: "Shared")]
        )
        let first = try MediationCompiler().resolve(
            endpoint: EndpointDefinition(kind: .reference(key: "Shared")),
            in: program
        )
        let second = try MediationCompiler().resolve(
            endpoint: EndpointDefinition(kind: .reference(key: "Shared")),
            in: program
        )
        #expect(Self.tried(first, failing: ["Shared"]) == ["Shared"])
        #expect(Self.tried(second) == [])
    }

    @Test func concurrentRoundRobinHandsOutEveryPosition() async throws {
        let cursor = RoundRobinCursor()
        let counts = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<300).map { _ in cursor.next(count: 3) } }
            }
            var counts = [0, 0, 0]
            for await positions in group { for position in positions { counts[position] += 1 } }
            return counts
        }
        #expect(counts == [400, 400, 400])
    }

    // MARK: - URLs and methods

    @Test(arguments: [
        ("http://b/api", "/menu?x=1", "http://b/api/menu?x=1"),
        ("http://b/api/", "/menu", "http://b/api/menu"),
        ("http://b/api", "", "http://b/api"),
        ("http://b/api", "?q=1", "http://b/api?q=1"),
    ])
    func addressAppendsThePostfix(uri: String, postfix: String, expected: String) {
        let leaf = EndpointLeaf(name: nil, target: .address(uri: uri))
        var context = Build.context()
        context[property: "REST_URL_POSTFIX", scope: .axis2] = .string(postfix)
        #expect(leaf.url(for: context) == expected)
    }

    @Test func httpTemplateExpandsAndEncodesVariables() {
        let leaf = EndpointLeaf(
            name: nil,
            target: .http(
                uriTemplate: "http://b/orders/{uri.var.id}/items?q={query.param.q}&s={query.param.sort}",
                method: "post"
            )
        )
        var context = Build.context(query: "q=a%20b%2Fc&sort=asc")
        context[property: "uri.var.id"] = "7/8 9"
        context[property: "REST_URL_POSTFIX", scope: .axis2] = "/ignored"
        #expect(leaf.url(for: context) == "http://b/orders/7%2F8%209/items?q=a%20b%2Fc&s=asc")
        #expect(leaf.method(for: context) == "POST")
    }

    @Test func httpTemplateWithoutVariablesAppendsThePostfixLikeWSO2() {
        let leaf = EndpointLeaf(name: nil, target: .http(uriTemplate: "https://backend/pizzashack/api/", method: nil))
        var context = Build.context(method: "GET")
        context[property: "REST_URL_POSTFIX", scope: .axis2] = "/menu"
        #expect(leaf.url(for: context) == "https://backend/pizzashack/api/menu")
        context[property: "HTTP_METHOD", scope: .axis2] = "delete"
        #expect(leaf.method(for: context) == "DELETE")
    }
}
