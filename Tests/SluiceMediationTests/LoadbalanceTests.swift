import SluiceMediation
import SluiceModel
import Testing

/// `<loadbalance>` forms beyond plain round robin: `WeightedRoundRobin` with `loadbalance.weight` member
/// properties, static `<member hostName= httpPort=>` servers, and the refused membership-driven balancers.
@Suite struct LoadbalanceTests {
    static func weighted(_ weights: [String?], names: [String] = ["a", "b", "c"]) -> String {
        let members = zip(names, weights).map { name, weight in
            let property = weight.map { #"<property name="loadbalance.weight" value="\#($0)"/>"# } ?? ""
            return #"<endpoint name="\#(name)"><address uri="http://127.0.0.1:9/\#(name)"/>\#(property)</endpoint>"#
        }
        return #"""
            <endpoint name="lb"><loadbalance algorithm="org.apache.synapse.endpoints.algorithms.WeightedRoundRobin">\#(
                members.joined())</loadbalance></endpoint>
            """#
    }

    static func group(_ body: String) throws -> ResolvedEndpoint {
        let definitions = try EndpointKindsTests.endpointsRoundTrip(body)
        let program = try MediationCompiler().compileProgram(sequences: [], endpoints: definitions)
        return try #require(program.endpoints["lb"])
    }

    @Test func weightedRoundRobinGivesEachMemberItsWeightInARow() throws {
        let endpoint = try Self.group(Self.weighted(["1", "2", "3"]))
        let firsts = (0..<12).map { _ in EndpointSelectionTests.tried(endpoint).first ?? "-" }
        // Synapse's WeightedRoundRobin: member 0 until its weight is used up, then member 1, and so on.
        #expect(firsts == ["a", "b", "b", "c", "c", "c", "a", "b", "b", "c", "c", "c"])
    }

    @Test func aMemberWithoutAWeightWeighsOne() throws {
        let endpoint = try Self.group(Self.weighted([nil, "3"], names: ["a", "b"]))
        let counts = Dictionary(grouping: (0..<400).map { _ in EndpointSelectionTests.tried(endpoint).first ?? "-" }) { $0 }
            .mapValues(\.count)
        #expect(counts == ["a": 100, "b": 300])
    }

    @Test func aWeightedMemberThatFailsFailsOverToTheNextMember() throws {
        let endpoint = try Self.group(Self.weighted(["2", "1"], names: ["a", "b"]))
        #expect(EndpointSelectionTests.tried(endpoint, failing: ["a"]) == ["a", "b"])
        // a is suspended: its second turn goes to the member after it.
        #expect(EndpointSelectionTests.tried(endpoint) == ["b"])
    }

    @Test func concurrentWeightedTurnsKeepTheDistribution() async throws {
        let cursor = RoundRobinCursor(weights: [1, 3])
        let counts = await withTaskGroup(of: [Int].self) { group in
            for _ in 0..<4 {
                group.addTask { (0..<200).map { _ in cursor.next(count: 2) } }
            }
            var counts = [0, 0]
            for await positions in group { for position in positions { counts[position] += 1 } }
            return counts
        }
        #expect(counts == [200, 600])
    }

    @Test(arguments: [
        ("0", "greater than zero"),
        ("-2", "greater than zero"),
        ("two", "greater than zero"),
    ])
    func badWeightsFailTheDeployment(weight: String, problem: String) {
        let problem2 = EndpointKindsTests.compileProblem(Self.weighted([weight, "1"], names: ["a", "b"]))
        #expect(problem2.contains(problem), "\(problem2)")
    }

    @Test func otherAlgorithmsAreRefusedByName() {
        let problem = EndpointKindsTests.compileProblem(
            #"<endpoint name="lb"><loadbalance algorithm="com.example.LeastBusy"><endpoint><address uri="http://h/"/></endpoint></loadbalance></endpoint>"#
        )
        #expect(problem.contains("load-balance algorithm 'com.example.LeastBusy'"), "\(problem)")
    }

    // MARK: - Static members

    static let servers = #"""
        <endpoint name="lb"><loadbalance failover="true">
          <member hostName="127.0.0.1" httpPort="9001" httpsPort="9005"/>
          <member hostName="backend.local" httpPort="9002"/>
          <member hostName="secure.local" httpsPort="9443"/>
        </loadbalance></endpoint>
        """#

    @Test func membersRoundTripAndTakeTurns() throws {
        let definitions = try EndpointKindsTests.endpointsRoundTrip(Self.servers)
        guard case .loadbalance(let group) = definitions[0].kind else {
            Issue.record("\(definitions[0].kind)")
            return
        }
        #expect(group.members.isEmpty)
        #expect(
            group.clusterMembers == [
                ClusterMember(hostName: "127.0.0.1", httpPort: 9001, httpsPort: 9005),
                ClusterMember(hostName: "backend.local", httpPort: 9002),
                ClusterMember(hostName: "secure.local", httpsPort: 9443),
            ]
        )
        let endpoint = try Self.group(Self.servers)
        let context = Build.context(path: "/services/LBService1", query: "a=1")
        var urls: [String] = []
        for _ in 0..<4 {
            var attempt = endpoint.makeAttempt()
            let next = attempt.next(now: EndpointSelectionTests.now)
            let leaf = try #require(next)
            urls.append(leaf.url(for: context))
            attempt.report(.success, now: EndpointSelectionTests.now)
        }
        #expect(
            urls == [
                "http://127.0.0.1:9001/services/LBService1?a=1", "http://backend.local:9002/services/LBService1?a=1",
                "https://secure.local:9443/services/LBService1?a=1", "http://127.0.0.1:9001/services/LBService1?a=1",
            ]
        )
    }

    @Test func aMemberGetsThePathOfAnAbsoluteTo() throws {
        let endpoint = try Self.group(Self.servers)
        var context = Build.context(path: "/ignored")
        try Build.run(try MediatorXML.roundTrip(#"<header name="To" value="http://front:8280/services/Quote?wsdl"/>"#), on: &context)
        var attempt = endpoint.makeAttempt()
        let next = attempt.next(now: EndpointSelectionTests.now)
        let leaf = try #require(next)
        #expect(leaf.url(for: context).hasSuffix(":9001/services/Quote"))
    }

    @Test func aFailingMemberFailsOverToTheNext() throws {
        let endpoint = try Self.group(Self.servers)
        var attempt = endpoint.makeAttempt()
        var tried: [String] = []
        while let leaf = attempt.next(now: EndpointSelectionTests.now) {
            tried.append(leaf.analyticsLabel)
            attempt.report(tried.count == 1 ? .failure(errorCode: 101503) : .success, now: EndpointSelectionTests.now)
        }
        #expect(tried == ["http://127.0.0.1:9001", "http://backend.local:9002"])
    }

    @Test(arguments: [
        (
            #"<endpoint name="lb"><loadbalance><member hostName="h" httpPort="1"/><endpoint><address uri="http://h/"/></endpoint></loadbalance></endpoint>"#,
            "not both"
        ),
        (#"<endpoint name="lb"><loadbalance><member hostName="h" httpPort="http"/></loadbalance></endpoint>"#, "must be a port number"),
        (#"<endpoint name="lb"><loadbalance><member hostName="h"/></loadbalance></endpoint>"#, "needs an 'httpPort' or an 'httpsPort'"),
        (#"<endpoint name="lb"><loadbalance><member httpPort="80"/></loadbalance></endpoint>"#, "hostName"),
        (#"<endpoint name="lb"><loadbalance/></endpoint>"#, "needs at least one member"),
        (
            #"<endpoint name="lb"><dynamicLoadbalance failover="true"><membershipHandler class="x"/></dynamicLoadbalance></endpoint>"#,
            "<dynamicLoadbalance> is not supported: its members come from Axis2 cluster membership"
        ),
        (
            #"<endpoint name="lb"><serviceDynamicLoadbalance><loadBalancerConfig/></serviceDynamicLoadbalance></endpoint>"#,
            "<serviceDynamicLoadbalance> is not supported"
        ),
    ])
    func badGroupsAreReported(xml: String, problem: String) {
        let problems = EndpointKindsTests.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func weightsDoNotApplyToServers() {
        let problem = EndpointKindsTests.compileProblem(
            #"<endpoint name="lb"><loadbalance algorithm="org.apache.synapse.endpoints.algorithms.WeightedRoundRobin"><member hostName="h" httpPort="1"/></loadbalance></endpoint>"#
        )
        #expect(problem.contains("weighs member endpoints only"), "\(problem)")
    }
}
