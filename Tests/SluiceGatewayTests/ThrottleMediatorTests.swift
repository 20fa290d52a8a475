import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import SluiceMediation
import SluiceModel
import SluiceSynapse
import SluiceTesting
import SluiceThrottling
import Synchronization
import Testing

@testable import SluiceGateway

/// `<throttle>` with an inline WS-Policy, counted on SluiceThrottling's in-memory counters.
@Suite(.timeLimit(.minutes(1))) struct ThrottleMediatorTests {
    static let policy = """
        <wsp:Policy xmlns:wsp="http://schemas.xmlsoap.org/ws/2004/09/policy" xmlns:throttle="http://www.wso2.org/products/wso2commons/throttle">
          <throttle:ThrottleAssertion>
            <wsp:All>
              <throttle:ID throttle:type="IP">other</throttle:ID>
              <wsp:ExactlyOne><wsp:All>
                <throttle:MaximumCount>2</throttle:MaximumCount>
                <throttle:UnitTime>10000</throttle:UnitTime>
                <throttle:ProhibitTimePeriod wsp:Optional="true">30000</throttle:ProhibitTimePeriod>
              </wsp:All></wsp:ExactlyOne>
            </wsp:All>
            <wsp:All>
              <throttle:ID throttle:type="IP">10.0.0.1 - 10.0.0.9</throttle:ID>
              <wsp:ExactlyOne><throttle:IsAllowed>false</throttle:IsAllowed></wsp:ExactlyOne>
            </wsp:All>
            <wsp:All>
              <throttle:ID throttle:type="IP">192.168.*.*</throttle:ID>
              <wsp:ExactlyOne><throttle:IsAllowed>true</throttle:IsAllowed></wsp:ExactlyOne>
            </wsp:All>
          </throttle:ThrottleAssertion>
        </wsp:Policy>
        """

    static let mediator = """
        <throttle id="orders"><policy>\(policy)</policy>
          <onAccept><property name="accepted" value="yes"/></onAccept>
          <onReject><property name="HTTP_SC" value="429" scope="axis2"/><respond/></onReject>
        </throttle>
        <property name="after" value="yes"/>
        """

    static func sequence(_ mediators: String) throws -> SequenceDefinition {
        let xml = #"<sequence xmlns="http://ws.apache.org/ns/synapse" name="t">"# + mediators + "</sequence>"
        let parser = SynapseParser()
        let first = try parser.parse(xml: xml, fileName: "first.xml")
        let second = try parser.parse(xml: SynapseSerializer.xml(for: first), fileName: "second.xml")
        #expect(second.sequences.first?.mediators == first.sequences.first?.mediators)
        return try #require(first.sequences.first)
    }

    static func problems(_ mediators: String) -> [String] {
        do {
            _ = try sequence(mediators)
            return []
        } catch {
            return (error as? SynapseDiagnostics)?.diagnostics.map(\.message) ?? ["\(error)"]
        }
    }

    static var registry: GatewayHandlerRegistry {
        var registry = GatewayHandlerRegistry.standard
        registry.throttleCounters = ThrottleMediatorCounters(store: LocalCounterStore())
        return registry
    }

    final class Clock: Sendable {
        let now = Atomic<Int64>(5_000_000)
        var epoch: EpochClock { EpochClock { [self] in now.load(ordering: .relaxed) } }
    }

    /// Runs the compiled sequence for a caller; returns the context and the step.
    static func run(_ compiled: CompiledSequence, caller: String, clock: Clock, body: String = #"{"a":1}"#) throws -> (MessageContext, MediationStep) {
        var context = MessageContext(
            method: "POST",
            requestPath: "/t",
            headers: HTTPHeaders([("Content-Type", "application/json")]),
            body: .text(body),
            logger: Logger(label: "test")
        )
        context.clock = clock.epoch
        context.clientAddress = caller
        var execution = SequenceExecution(sequence: compiled, program: .empty)
        let step = try execution.run(&context)
        return (context, step)
    }

    @Test func inlineAndKeyedPoliciesRoundTrip() throws {
        let inline = try Self.sequence(Self.mediator)
        let throttle = try #require(inline.mediators.first?.as(ThrottleMediator.self))
        #expect(throttle.policy?.callers.count == 3)
        #expect(throttle.policy?.callers.first?.access == .control(maximumCount: 2, unitTimeMillis: 10000, prohibitMillis: 30000))
        let keyed = try Self.sequence(#"<throttle id="t" onAccept="ok" onReject="no"><policy key="throttlePolicy"/></throttle>"#)
        #expect(keyed.mediators.first?.as(ThrottleMediator.self)?.onReject == .sequence("no"))
    }

    @Test(arguments: [
        (#"<throttle><policy key="p"/></throttle>"#, "missing required attribute 'id'"),
        (#"<throttle id="t"><policy><wsp:Policy xmlns:wsp="urn:p"/></policy></throttle>"#, "names no caller"),
        (#"<throttle id="t"><policy><wsp:Policy xmlns:wsp="urn:p" xmlns:t="urn:t"><t:MaximumConcurrentAccess>lots</t:MaximumConcurrentAccess></wsp:Policy></policy></throttle>"#, "MaximumConcurrentAccess must be a non-negative integer"),
        (#"<throttle id="t"><policy><wsp:Policy xmlns:wsp="urn:p" xmlns:t="urn:t"><wsp:All><t:ID t:type="ROLE">gold</t:ID><t:MaximumCount>1</t:MaximumCount></wsp:All></wsp:Policy></policy></throttle>"#, "only IP and DOMAIN"),
        (#"<throttle id="t"><policy><wsp:Policy xmlns:wsp="urn:p" xmlns:t="urn:t"><wsp:All><t:ID>other</t:ID><t:MaximumCount>1</t:MaximumCount></wsp:All></wsp:Policy></policy></throttle>"#, "without a positive UnitTime"),
        (#"<throttle id="t"><policy><wsp:Policy xmlns:wsp="urn:p" xmlns:t="urn:t"><wsp:All><t:ID>other</t:ID><t:MaximumCount>many</t:MaximumCount></wsp:All></wsp:Policy></policy></throttle>"#, "must be a non-negative integer"),
    ])
    func badThrottlesAreReported(xml: String, problem: String) {
        let problems = Self.problems(xml)
        #expect(problems.contains { $0.contains(problem) }, "\(problems)")
    }

    @Test func callersAreCountedAllowedDeniedAndProhibited() throws {
        let compiler = MediationCompiler(handlers: Self.registry)
        let compiled = try compiler.compile(sequence: try Self.sequence(Self.mediator), in: .empty)
        let clock = Clock()
        for _ in 0..<2 {
            let (context, _) = try Self.run(compiled, caller: "172.16.0.5", clock: clock)
            #expect(context[property: "accepted"] == "yes")
            #expect(context[property: "after"] == "yes")
        }
        let (rejected, step) = try Self.run(compiled, caller: "172.16.0.5", clock: clock)
        #expect(rejected.statusCode == 429)
        #expect(rejected[property: "after"] == nil)
        guard case .respond = step else {
            Issue.record("expected respond, got \(step)")
            return
        }
        // Another caller has its own count.
        #expect(try Self.run(compiled, caller: "172.16.0.6", clock: clock).0[property: "accepted"] == "yes")
        // The window ends after 10 s, but the prohibition (30 s) still holds.
        clock.now.add(11_000, ordering: .relaxed)
        #expect(try Self.run(compiled, caller: "172.16.0.5", clock: clock).0.statusCode == 429)
        clock.now.add(20_000, ordering: .relaxed)
        #expect(try Self.run(compiled, caller: "172.16.0.5", clock: clock).0[property: "accepted"] == "yes")
        // A denied range and an allowed pattern.
        #expect(try Self.run(compiled, caller: "10.0.0.5", clock: clock).0.statusCode == 429)
        for _ in 0..<5 {
            #expect(try Self.run(compiled, caller: "192.168.3.4", clock: clock, body: "<a/>").0[property: "accepted"] == "yes")
        }
    }

    @Test func withoutOnRejectARejectedMessageStops() throws {
        let compiler = MediationCompiler(handlers: Self.registry)
        let mediators = #"<throttle id="deny"><policy>\#(Self.policy)</policy></throttle><property name="after" value="yes"/>"#
        let compiled = try compiler.compile(sequence: try Self.sequence(mediators), in: .empty)
        let (context, step) = try Self.run(compiled, caller: "10.0.0.2", clock: Clock())
        #expect(context[property: "after"] == nil)
        guard case .drop = step else {
            Issue.record("expected drop, got \(step)")
            return
        }
    }

    @Test func aPolicyKeyNothingDefinesFaultsWhenReachedAndNodesWithoutCountersAreRefused() throws {
        let keyed = try Self.sequence(#"<throttle id="t"><policy key="gov:/throttle/policy.xml"/></throttle>"#)
        let compiled = try MediationCompiler(handlers: Self.registry).compile(sequence: keyed, in: .empty)
        var context = MessageContext(method: "GET", requestPath: "/t")
        var execution = SequenceExecution(sequence: compiled, program: .empty)
        #expect(throws: MediationFault.entryNotFound("gov:/throttle/policy.xml")) { try execution.run(&context) }
        let inline = try Self.sequence(Self.mediator)
        do {
            _ = try MediationCompiler().compile(sequence: inline, in: .empty)
            Issue.record("compiled without counters")
        } catch {
            #expect("\(error)".contains("needs the gateway's throttle counters"), "\(error)")
        }
    }

    @Test func aLocalEntryPolicyThrottlesThroughTheLiveGateway() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources = """
            <resource methods="GET" url-mapping="/*">
              <inSequence>
                <throttle id="live"><policy key="livePolicy"/>
                  <onReject><property name="HTTP_SC" value="429" scope="axis2"/><payloadFactory media-type="json"><format>{"throttled":true}</format></payloadFactory><respond/></onReject>
                </throttle>
                <send>\(Artifact.address(backend.baseURL))</send>
              </inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let policy = Self.policy.replacingOccurrences(of: "<throttle:MaximumCount>2</throttle:MaximumCount>", with: "<throttle:MaximumCount>1</throttle:MaximumCount>")
        let gateway = try await GatewayHarness.start(
            files: [
                "api/t.xml": Artifact.api(name: "t", context: "/t", resources: resources),
                "local-entries/livePolicy.xml": #"<localEntry xmlns="http://ws.apache.org/ns/synapse" key="livePolicy">\#(policy)</localEntry>"#,
            ],
            handlerRegistry: Self.registry
        )
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        let first = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/json")
        #expect(first.status == 200)
        let second = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/t/json")
        #expect(second.status == 429)
        #expect(second.body == #"{"throttled":true}"#)
        #expect(backend.recordedRequests.count == 1)
    }
}
