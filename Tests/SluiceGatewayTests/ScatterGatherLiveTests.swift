import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `iterate`, `clone` and `aggregate` through the live gateway with real backends.
@Suite(.timeLimit(.minutes(1))) struct ScatterGatherLiveTests {
    static let json = [("Content-Type", "application/json")]

    static func skus(_ body: String) -> [String] {
        guard let data = body.data(using: .utf8), let array = try? JSONSerialization.jsonObject(with: data) as? [String]
        else { return [] }
        return array.sorted()
    }

    static func iterate(_ url: String, sequential: Bool = false) -> String {
        """
        <iterate id="items" expression="json-eval($.order.items)" sequential="\(sequential)">
          <target><sequence><call><endpoint><address uri="\(url)"/></endpoint></call></sequence></target>
        </iterate>
        <aggregate id="items">
          <completeCondition><messageCount min="-1" max="-1"/></completeCondition>
          <onComplete expression="json-eval($.sku)"><respond/></onComplete>
        </aggregate>
        """
    }

    @Test func iterateCallsABackendPerItemAndAggregatesTheAnswers() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let dead = try DeadPort()
        let resources = [
            FlowMediatorsLiveTests.resource("/parallel", Self.iterate(backend.baseURL + "/echo")),
            FlowMediatorsLiveTests.resource("/sequential", Self.iterate(backend.baseURL + "/echo", sequential: true)),
            FlowMediatorsLiveTests.resource("/down", Self.iterate("http://127.0.0.1:\(dead.port)/items")),
        ].joined()
        let gateway = try await GatewayHarness.start(
            files: ["api/o.xml": Artifact.api(name: "o", context: "/o", resources: resources)],
            configure: { $0.maxSplitMessages = 3 }
        )
        defer { gateway.stopInBackground() }
        let order = #"{"order":{"id":9,"items":[{"sku":"c"},{"sku":"a"},{"sku":"b"}]}}"#

        let parallel = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/o/parallel", headers: Self.json, body: order)
        #expect(parallel.status == 200)
        #expect(Self.skus(parallel.body) == ["a", "b", "c"])
        #expect(backend.recordedRequests.count == 3)

        let sequential = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/o/sequential", headers: Self.json, body: order)
        #expect(sequential.status == 200)
        #expect(sequential.body == #"["c","a","b"]"#)

        // A backend that cannot be reached faults its item's message: the fault sequence answers the client.
        let down = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/o/down", headers: Self.json, body: order)
        #expect(down.status >= 500)
        #expect(down.body.contains("fault"))

        // Four items are more than this gateway splits for one request.
        let tooMany = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/o/parallel",
            headers: Self.json,
            body: #"{"order":{"items":[{"sku":"a"},{"sku":"b"},{"sku":"c"},{"sku":"d"}]}}"#
        )
        #expect(tooMany.status >= 500)
        #expect(tooMany.body.contains("maxSplitMessages 3"))

        // No items: nothing is split, the flow ends without an answer of its own.
        let none = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/o/parallel",
            headers: Self.json,
            body: #"{"order":{"items":[]}}"#
        )
        #expect(none.status == 202)
    }

    @Test func cloneSendsToTwoBackendsAndTheOutSequenceAggregates() async throws {
        let first = try await TestHTTPBackend.start(name: "east")
        defer { first.shutdownInBackground() }
        let second = try await TestHTTPBackend.start(name: "west")
        defer { second.shutdownInBackground() }
        let clone = """
            <clone>
              <target>\(Artifact.address(first.baseURL + "/json"))</target>
              <target>\(Artifact.address(second.baseURL + "/json"))</target>
            </clone>
            """
        let aggregate = """
            <aggregate><onComplete expression="json-eval($.backend)">
              <header name="X-Aggregated" value="yes" scope="transport"/><send/>
            </onComplete></aggregate>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/c.xml": Artifact.api(
                name: "c",
                context: "/c",
                resources: FlowMediatorsLiveTests.resource("/both", clone, out: aggregate)
            )
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/c/both", headers: Self.json, body: #"{"q":1}"#)
        #expect(response.status == 200)
        #expect(response.header("X-Aggregated") == "yes")
        #expect(Self.skus(response.body) == ["east", "west"])
        #expect(first.recordedRequests.count == 1 && second.recordedRequests.count == 1)
    }

    @Test func childElementTypeMergesTheAnswersAndAnExpressionMinimumCompletesEarly() async throws {
        let backend = try await TestHTTPBackend.start(name: "b")
        defer { backend.shutdownInBackground() }
        let inSequence = """
            <property name="want" expression="$trp:X-Want"/>
            <iterate expression="json-eval($.items)">
              <target><sequence><call>\(Artifact.address(backend.baseURL + "/json"))</call></sequence></target>
            </iterate>
            <aggregate>
              <completeCondition><messageCount min="{get-property('want')}"/></completeCondition>
              <onComplete expression="json-eval($)" aggregateElementType="child"><respond/></onComplete>
            </aggregate>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/a.xml": Artifact.api(name: "a", context: "/a", resources: FlowMediatorsLiveTests.resource("/merge", inSequence))
        ])
        defer { gateway.stopInBackground() }
        let response = try await HTTPClient.shared.send(
            .POST,
            gateway.baseURL + "/a/merge",
            headers: Self.json + [("X-Want", "2")],
            body: #"{"items":[1,2,3]}"#
        )
        #expect(response.status == 200)
        #expect(response.body == #"{"backend":["b","b"],"ok":[true,true]}"#, "\(response.body)")
    }
}
