import NIOCore
import SluiceMediation
import SluiceModel
import Testing

/// WSO2's `<retryConfig>` on group members and `<authentication><basicAuth>` on `<http>` endpoints.
@Suite struct EndpointRetryAndCredentialsTests {
    static func failover(primaryRetry: String) -> String {
        #"""
        <endpoint name="lb"><failover>
          <endpoint name="primary"><address uri="http://127.0.0.1:9/a">\#(primaryRetry)</address></endpoint>
          <endpoint name="secondary"><address uri="http://127.0.0.1:9/b"/></endpoint>
        </failover></endpoint>
        """#
    }

    @Test func retryConfigRoundTrips() throws {
        let definitions = try EndpointKindsTests.endpointsRoundTrip(
            Self.failover(primaryRetry: "<retryConfig><disabledErrorCodes>101504, 101505 101500</disabledErrorCodes><enabledErrorCodes>101503</enabledErrorCodes></retryConfig>")
        )
        guard case .failover(let group) = definitions[0].kind, case .address(let primary) = group.members[0].kind else {
            Issue.record("\(definitions[0].kind)")
            return
        }
        #expect(primary.qos.retry == EndpointRetryConfig(disabledErrorCodes: [101504, 101505, 101500], enabledErrorCodes: [101503]))
    }

    @Test func aDisabledErrorCodeStopsTheFailover() throws {
        let endpoint = try LoadbalanceTests.group(
            Self.failover(primaryRetry: "<retryConfig><disabledErrorCodes>101504,101505</disabledErrorCodes></retryConfig>")
        )
        #expect(EndpointSelectionTests.tried(endpoint, failing: ["primary"], code: 101504) == ["primary"])
        var attempt = endpoint.makeAttempt()
        // The fault is the member's own (Synapse keeps the failed child's ERROR_CODE).
        _ = attempt.next(now: EndpointSelectionTests.now + .seconds(3600))
        attempt.report(.failure(errorCode: 101505), now: EndpointSelectionTests.now + .seconds(3600))
        #expect(attempt.next(now: EndpointSelectionTests.now + .seconds(3600)) == nil)
        #expect(attempt.exhaustionFault.code == 101505)
    }

    @Test func otherErrorsStillFailOver() throws {
        let endpoint = try LoadbalanceTests.group(
            Self.failover(primaryRetry: "<retryConfig><disabledErrorCodes>101504</disabledErrorCodes></retryConfig>")
        )
        #expect(EndpointSelectionTests.tried(endpoint, failing: ["primary"], code: 101503) == ["primary", "secondary"])
    }

    @Test func enabledErrorCodesAreTheOnlyOnesRetried() throws {
        let body = Self.failover(primaryRetry: "<retryConfig><enabledErrorCodes>101503</enabledErrorCodes></retryConfig>")
        let first = try LoadbalanceTests.group(body)
        #expect(EndpointSelectionTests.tried(first, failing: ["primary"], code: 101503) == ["primary", "secondary"])
        let second = try LoadbalanceTests.group(body)
        #expect(EndpointSelectionTests.tried(second, failing: ["primary"], code: 101508) == ["primary"])
    }

    @Test func badRetryCodesAreReported() {
        let problems = EndpointKindsTests.problems(
            Self.failover(primaryRetry: "<retryConfig><disabledErrorCodes>101504,x</disabledErrorCodes><other/></retryConfig>")
        )
        #expect(problems.contains { $0.contains("'disabledErrorCodes' must be an integer, not 'x'") }, "\(problems)")
        #expect(problems.contains { $0.contains("other") }, "\(problems)")
    }

    // MARK: - Basic authentication

    static func http(_ authentication: String) -> String {
        #"""
        <endpoint name="lb"><http uri-template="http://127.0.0.1:9/login" method="get">
          <authentication>\#(authentication)</authentication>
          <suspendOnFailure><progressionFactor>1.0</progressionFactor></suspendOnFailure>
        </http></endpoint>
        """#
    }

    static func leaf(_ body: String) throws -> EndpointLeaf {
        guard case .leaf(let leaf) = try LoadbalanceTests.group(body).kind else { throw EndpointKindsTests.NotALeaf() }
        return leaf
    }

    @Test func basicAuthRoundTripsAndHidesThePassword() throws {
        let definitions = try EndpointKindsTests.endpointsRoundTrip(
            Self.http("<basicAuth><username>admin</username><password>s3cret</password></basicAuth>")
        )
        guard case .http(let http) = definitions[0].kind else {
            Issue.record("\(definitions[0].kind)")
            return
        }
        #expect(http.authentication == EndpointAuthentication(username: .literal("admin"), password: .literal("s3cret")))
        #expect(http.qos.suspendOnFailure?.progressionFactor == 1.0)
        #expect(!"\(definitions[0])".contains("s3cret"))
    }

    @Test func basicAuthSetsTheAuthorizationHeader() throws {
        let leaf = try Self.leaf(Self.http("<basicAuth><username>admin</username><password>admin</password></basicAuth>"))
        let credentials = try #require(leaf.credentials)
        var context = Build.context(headers: [("Authorization", "Bearer client-token")])
        try context.applyEndpointCredentials(credentials)
        #expect(context.headers["Authorization"] == ["Basic YWRtaW46YWRtaW4="])
    }

    @Test func credentialsMayComeFromExpressions() throws {
        let leaf = try Self.leaf(
            Self.http("<basicAuth><username>{get-property('user')}</username><password>{$trp:X-Pass}</password></basicAuth>")
        )
        let credentials = try #require(leaf.credentials)
        var context = Build.context(headers: [("X-Pass", "pw")])
        try Build.run(try MediatorXML.roundTrip(#"<property name="user" value="bob"/>"#), on: &context)
        try context.applyEndpointCredentials(credentials)
        // base64("bob:pw")
        #expect(context.headers["Authorization"] == ["Basic Ym9iOnB3"])
    }

    @Test(arguments: [
        ("<basicAuth><username>a</username></basicAuth>", "needs a <username> and a <password>"),
        ("", "needs a <basicAuth> or an <oauth>"),
        ("<basicAuth><username>a</username><password>b</password><realm>r</realm></basicAuth>", "realm"),
    ])
    func badAuthenticationIsReported(xml: String, problem: String) {
        let problems = EndpointKindsTests.problems(Self.http(xml))
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }
}
