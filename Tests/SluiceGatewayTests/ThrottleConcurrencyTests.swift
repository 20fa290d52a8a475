import AsyncHTTPClient
import Foundation
import Logging
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<throttle>` without a policy (Synapse admits everything) and with `MaximumConcurrentAccess`: a message holds a
/// place from admission until the backend's response reaches it or its context goes, whichever comes first.
@Suite(.timeLimit(.minutes(1))) struct ThrottleConcurrencyTests {
    static let concurrencyPolicy = """
        <wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy" xmlns:throttle="http://www.wso2.org/products/wso2commons/throttle">
          <throttle:ThrottleAssertion><throttle:MaximumConcurrentAccess>1</throttle:MaximumConcurrentAccess></throttle:ThrottleAssertion>
        </wsp:Policy>
        """
    static let mediator = """
        <throttle id="one"><policy>\(concurrencyPolicy)</policy>
          <onAccept><property name="accepted" value="yes"/></onAccept>
          <onReject><property name="HTTP_SC" value="503" scope="axis2"/><respond/></onReject>
        </throttle>
        """

    private static func compiled(_ mediators: String) throws -> CompiledSequence {
        try MediationCompiler(handlers: ThrottleMediatorTests.registry)
            .compile(sequence: try ThrottleMediatorTests.sequence(mediators), in: .empty)
    }

    private static func message(json: Bool) -> MessageContext {
        var context = MessageContext(
            method: "POST",
            requestPath: "/t",
            headers: HTTPHeaders([("Content-Type", json ? "application/json" : "application/xml")]),
            body: .text(json ? #"{"a":1}"# : "<a>1</a>"),
            logger: Logger(label: "test")
        )
        context.clientAddress = "172.16.0.9"
        return context
    }

    /// Runs the sequence: "finished", "respond" (onReject answered) or "other".
    private static func run(_ sequence: CompiledSequence, _ context: inout MessageContext) throws -> String {
        var execution = SequenceExecution(sequence: sequence, program: .empty)
        switch try execution.run(&context) {
        case .finished: return "finished"
        case .respond: return "respond"
        default: return "other"
        }
    }

    @Test func withoutAPolicyEveryMessageIsAdmittedAndTheFormRoundTrips() throws {
        for form in [#"<throttle id="A"/>"#, #"<throttle id="A"><policy/></throttle>"#] {
            let mediators = form + #"<property name="after" value="yes"/>"#
            let throttle = try #require(try ThrottleMediatorTests.sequence(mediators).mediators.first?.as(ThrottleMediator.self))
            #expect(throttle.policy == nil && throttle.policyKey == nil)
            let sequence = try Self.compiled(mediators)
            for json in [true, false] {
                var context = Self.message(json: json)
                #expect(try Self.run(sequence, &context) == "finished")
                #expect(context[property: "after"] == "yes")
            }
        }
    }

    @Test func theConcurrencyLimitAndItsPolicyRoundTrip() throws {
        let throttle = try #require(try ThrottleMediatorTests.sequence(Self.mediator).mediators.first?.as(ThrottleMediator.self))
        #expect(throttle.policy?.maximumConcurrentAccess == 1)
        #expect(throttle.policy?.callers == [])
    }

    @Test(arguments: [true, false])
    func aPlaceIsHeldUntilTheResponseArrivesOrTheMessageGoes(json: Bool) throws {
        let sequence = try Self.compiled(Self.mediator)
        var first = Self.message(json: json)
        #expect(try Self.run(sequence, &first) == "finished")
        #expect(first[property: "accepted"] == "yes")

        var second = Self.message(json: !json)
        #expect(try Self.run(sequence, &second) == "respond")
        #expect(second.statusCode == 503)

        // The backend's response gives the place back (Synapse's callback receiver does).
        first.receiveResponse(status: 200, headers: HTTPHeaders(), body: .text("{}"))
        var third = Self.message(json: json)
        #expect(try Self.run(sequence, &third) == "finished")
        #expect(third[property: "accepted"] == "yes")

        // A message that never gets a response (client gone, backend timed out, fault) gives it back when its
        // exchange drops the context.
        _ = consume third
        var fourth = Self.message(json: json)
        #expect(try Self.run(sequence, &fourth) == "finished")

        // A fault (a backend that failed or timed out) gives it back before the fault sequence answers.
        fourth.recordFault(MediationFault(code: 101504, message: "timed out"))
        var fifth = Self.message(json: json)
        #expect(try Self.run(sequence, &fifth) == "finished")
        withExtendedLifetime((first, fourth, fifth)) {}
    }

    /// Synapse's `Axis2Sender.sendBack` gives the place back when `respond` answers the client, while the context
    /// may still be alive (here: kept); the next message is admitted at once.
    @Test(arguments: [true, false])
    func respondGivesThePlaceBackAsItAnswers(json: Bool) throws {
        let sequence = try Self.compiled(Self.mediator + "<respond/>")
        var answered = Self.message(json: json)
        #expect(try Self.run(sequence, &answered) == "respond")
        #expect(answered[property: "accepted"] == "yes")
        var next = Self.message(json: !json)
        #expect(try Self.run(sequence, &next) == "respond")
        #expect(next[property: "accepted"] == "yes")
        #expect(next.statusCode != 503)
        withExtendedLifetime((answered, next)) {}
    }

    @Test func aResponsePassesTheThrottle() throws {
        let sequence = try Self.compiled(Self.mediator)
        var holder = Self.message(json: true)
        _ = try Self.run(sequence, &holder)
        var response = Self.message(json: true)
        response.receiveResponse(status: 200, headers: HTTPHeaders(), body: .text("{}"))
        #expect(try Self.run(sequence, &response) == "finished")
        #expect(response[property: "accepted"] == "yes")
        withExtendedLifetime(holder) {}
    }

    @Test func theGatewayLimitsConcurrentRequestsAndABackendTimeoutLeaksNoPlace() async throws {
        let backend = try await TestHTTPBackend.start(name: "slow")
        defer { backend.shutdownInBackground() }
        // One named sequence, so both resources count on the same throttle.
        let guardSequence = """
            <sequence xmlns="http://ws.apache.org/ns/synapse" name="guard">
              <throttle id="live"><policy>\(Self.concurrencyPolicy)</policy>
                <onReject><property name="HTTP_SC" value="503" scope="axis2"/><payloadFactory media-type="json"><format>{"busy":true}</format></payloadFactory><respond/></onReject>
              </throttle>
            </sequence>
            """
        // Long enough that the second request is sent while the first is held, even on a loaded machine (5 s was
        // not); the test waits this long once.
        let timeout = "<timeout><duration>15000</duration><responseAction>fault</responseAction></timeout>"
        let resources = """
            <resource methods="GET" url-mapping="/slow/*">
              <inSequence><sequence key="guard"/><send>\(Artifact.address(backend.baseURL, qos: timeout))</send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" url-mapping="/fast/*">
              <inSequence><sequence key="guard"/><send>\(Artifact.address(backend.baseURL))</send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(
            files: [
                "api/t.xml": Artifact.api(name: "t", context: "/t", resources: resources),
                "sequences/guard.xml": guardSequence,
            ],
            handlerRegistry: ThrottleMediatorTests.registry
        )
        defer { gateway.stopInBackground() }
        #expect(gateway.service.deploymentStatus.files.allSatisfy { $0.state == .deployed && $0.warnings.isEmpty })

        // A request the backend holds past the endpoint's timeout: while it is in flight, another one is refused.
        let held = Task { try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/slow/delay/60000") }
        while backend.recordedRequests.isEmpty { try await Task.sleep(for: .milliseconds(5)) }
        let refused = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/fast/json")
        #expect(refused.status == 503)
        #expect(refused.body == #"{"busy":true}"#)
        #expect(backend.recordedRequests.count == 1)

        // The backend timed out: the fault answered and the place is free again.
        let timedOut = try await held.value
        #expect(timedOut.status >= 500)
        #expect(timedOut.body.contains("101504"))
        let admitted = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/fast/json")
        #expect(admitted.status == 200)
        #expect(admitted.header("X-Backend-Name") == "slow")
        // A completed exchange gives its place back too.
        #expect(try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/fast/json").status == 200)
    }
}
