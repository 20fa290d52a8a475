import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<recipientlist>` endpoints through the live gateway with real backends.
@Suite(.timeLimit(.minutes(1))) struct RecipientListLiveTests {
    static let ns = #"xmlns="http://ws.apache.org/ns/synapse""#

    static func resource(_ path: String, _ inSequence: String, out: String = "<send/>") -> String {
        FlowMediatorsLiveTests.resource(path, inSequence, out: out)
    }

    @Test func everyRecipientGetsTheMessageAndTheOutSequenceAggregatesTheReplies() async throws {
        let east = try await TestHTTPBackend.start(name: "east")
        defer { east.shutdownInBackground() }
        let west = try await TestHTTPBackend.start(name: "west")
        defer { west.shutdownInBackground() }
        let dead = try DeadPort()
        let fanout = """
            <endpoint \(Self.ns) name="fanout"><recipientlist>
              <endpoint><address uri="\(east.baseURL)/json"/></endpoint>
              <endpoint><http uri-template="\(west.baseURL)/json/{uri.var.kind}"/></endpoint>
            </recipientlist></endpoint>
            """
        let merge = """
            <aggregate><onComplete expression="json-eval($.backend)">
              <header name="X-Aggregated" value="yes" scope="transport"/><send/>
            </onComplete></aggregate>
            """
        let resources = [
            Self.resource(
                "/merged",
                #"<property name="uri.var.kind" value="w"/><send><endpoint key="fanout"/></send>"#,
                out: merge
            ),
            Self.resource("/first", #"<send><endpoint key="fanout"/></send>"#),
            Self.resource(
                "/called",
                #"<call><endpoint key="fanout"/></call><property name="X-Seen" expression="json-eval($.backend)" scope="transport"/><respond/>"#
            ),
            Self.resource(
                "/down",
                """
                <send><endpoint><recipientlist>
                  <endpoint><address uri="http://127.0.0.1:\(dead.port)/a"/></endpoint>
                  <endpoint><address uri="http://127.0.0.1:\(dead.port)/b"/></endpoint>
                </recipientlist></endpoint></send>
                """
            ),
        ].joined()
        let gateway = try await GatewayHarness.start(files: [
            "endpoints/fanout.xml": fanout,
            "api/r.xml": Artifact.api(name: "r", context: "/r", resources: resources),
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")
        let json = [("Content-Type", "application/json")]

        let merged = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/r/merged", headers: json, body: #"{"q":1}"#)
        #expect(merged.status == 200)
        #expect(merged.header("X-Aggregated") == "yes")
        #expect(ScatterGatherLiveTests.skus(merged.body) == ["east", "west"], "\(merged.body)")
        #expect(east.recordedRequests.count == 1 && west.recordedRequests.count == 1)
        #expect(east.recordedRequests.first?.bodyByteCount == 7)
        #expect(west.recordedRequests.first?.uri == "/json/w")

        // Without an aggregate the first reply answers the client; the other is dropped.
        let first = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/r/first", headers: json, body: #"{"q":2}"#)
        #expect(first.status == 200)
        #expect(first.body.contains(#""backend":"east""#) || first.body.contains(#""backend":"west""#), "\(first.body)")

        // `call`: each copy goes on after the call with its own reply; the first to respond answers.
        let called = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/r/called", headers: json, body: #"{"q":3}"#)
        #expect(called.status == 200)
        #expect(["east", "west"].contains(called.header("X-Seen") ?? ""), "\(called.headers)")

        // Every recipient unreachable: each copy runs the fault sequence, whose answer reaches the client.
        let down = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/r/down", headers: json, body: #"{"q":4}"#)
        #expect(down.status >= 500)
        #expect(down.body.contains("101503"), "\(down.body)")
    }

    @Test func aDynamicListSendsAnXMLMessageToTheAddressesTheMessageNames() async throws {
        let backend = try await TestHTTPBackend.start(name: "b")
        defer { backend.shutdownInBackground() }
        let inSequence = """
            <property name="targets" expression="$trp:X-Targets"/>
            <send><endpoint><recipientlist><endpoints value="{get-property('targets')}" max-cache="4"/></recipientlist></endpoint></send>
            """
        let out = #"<aggregate><onComplete expression="//order"><respond/></onComplete></aggregate>"#
        let gateway = try await GatewayHarness.start(files: [
            "api/d.xml": Artifact.api(name: "d", context: "/d", resources: Self.resource("/orders", inSequence, out: out))
        ])
        defer { gateway.stopInBackground() }
        let targets = "\(backend.baseURL)/echo/one, \(backend.baseURL)/echo/two"
        let response = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/d/orders",
            headers: [("Content-Type", "application/xml"), ("X-Targets", targets)],
            body: "<order><id>4</id></order>"
        )
        #expect(response.status == 200)
        #expect(response.body.components(separatedBy: "<id>4</id>").count == 3, "\(response.body)")
        // Each address is an address endpoint: the path below the resource is appended, as for any address.
        #expect(Set(backend.recordedRequests.map(\.uri)) == ["/echo/one/orders", "/echo/two/orders"])

        // No address in the message: nothing is sent and the flow ends without an answer of its own.
        let none = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/d/orders",
            headers: [("Content-Type", "application/xml"), ("X-Targets", " , ")],
            body: "<order/>"
        )
        #expect(none.status == 202)
    }
}
