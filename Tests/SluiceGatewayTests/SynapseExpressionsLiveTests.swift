import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// WSO2 Micro Integrator 4.4's Synapse Expressions, `<variable>` and `<scatter-gather>` through the live gateway.
@Suite(.timeLimit(.minutes(1))) struct SynapseExpressionsLiveTests {
    static let json = [("Content-Type", "application/json")]

    @Test func expressionsAndVariablesDriveTheFlow() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources = [
            FlowMediatorsLiveTests.resource(
                "/price",
                """
                <variable name="qty" expression="${payload.items.length()}" type="INTEGER"/>
                <property name="X-Total" scope="transport" expression="${payload.items[0].price * vars.qty}"/>
                <filter xpath="${vars.qty > 1}">
                  <then><property name="X-Many" scope="transport" value="yes"/></then>
                  <else><property name="X-Many" scope="transport" value="no"/></else>
                </filter>
                <log category="WARN"><message>items=${vars.qty}</message></log>
                <send><endpoint><address uri="\(backend.baseURL)/echo"/></endpoint></send>
                """
            ),
        ].joined()
        let gateway = try await GatewayHarness.start(
            files: ["api/e.xml": Artifact.api(name: "e", context: "/e", resources: resources)]
        )
        defer { gateway.stopInBackground() }

        let body = #"{"items":[{"price":2.5},{"price":4}]}"#
        let answer = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/e/price", headers: Self.json, body: body)
        #expect(answer.status == 200)
        #expect(answer.body == body)
        let seen = try #require(backend.recordedRequests.last)
        #expect(seen.header("X-Total") == "5.0")
        #expect(seen.header("X-Many") == "yes")
    }

    @Test func scatterGatherCallsEveryBackendAndGathersTheAnswers() async throws {
        let first = try await TestHTTPBackend.start(name: "a")
        defer { first.shutdownInBackground() }
        let second = try await TestHTTPBackend.start(name: "b")
        defer { second.shutdownInBackground() }
        func call(_ backend: TestHTTPBackend) -> String {
            #"<sequence><call><endpoint><address uri="\#(backend.baseURL)/json"/></endpoint></call></sequence>"#
        }
        let resources = [
            FlowMediatorsLiveTests.resource(
                "/body",
                """
                <scatter-gather target="body" result-content-type="JSON">
                  <aggregation expression="${payload}"/>
                  \(call(first))\(call(second))
                </scatter-gather>
                <respond/>
                """
            ),
            FlowMediatorsLiveTests.resource(
                "/variable",
                """
                <scatter-gather parallel-execution="false" target="variable" target-variable="answers" result-content-type="JSON">
                  <aggregation expression="${payload.backend}"/>
                  \(call(first))\(call(second))
                </scatter-gather>
                <payloadFactory media-type="json">
                  <format>{"order": $1, "backends": "$2"}</format>
                  <args><arg expression="${payload.order}"/><arg expression="${vars.answers[0] + vars.answers[1]}"/></args>
                </payloadFactory>
                <respond/>
                """
            ),
        ].joined()
        let gateway = try await GatewayHarness.start(
            files: ["api/s.xml": Artifact.api(name: "s", context: "/s", resources: resources)]
        )
        defer { gateway.stopInBackground() }

        let gathered = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/s/body", headers: Self.json, body: #"{"order":1}"#)
        #expect(gathered.status == 200)
        let array = try #require(
            try JSONSerialization.jsonObject(with: Data(gathered.body.utf8)) as? [[String: Any]],
            "\(gathered.body)"
        )
        #expect(array.compactMap { $0["backend"] as? String }.sorted() == ["a", "b"])
        #expect(first.recordedRequests.count == 1 && second.recordedRequests.count == 1)

        let sequential = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/s/variable", headers: Self.json, body: #"{"order":7}"#)
        #expect(sequential.status == 200)
        #expect(sequential.body.replacingOccurrences(of: " ", with: "") == #"{"order":7,"backends":"ab"}"#)
    }

    @Test func brokenExpressionKeepsTheArtifactOutWithItsPosition() async throws {
        let gateway = try await GatewayHarness.start(
            files: [
                "api/bad.xml": Artifact.api(
                    name: "bad",
                    context: "/bad",
                    resources: FlowMediatorsLiveTests.resource("/x", #"<property name="p" expression="${payload.a +}"/><respond/>"#)
                ),
                "api/good.xml": Artifact.api(
                    name: "good",
                    context: "/good",
                    resources: FlowMediatorsLiveTests.resource("/x", #"<property name="p" expression="${1 + 1}"/><respond/>"#)
                ),
            ]
        )
        defer { gateway.stopInBackground() }
        let bad = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/bad/x", headers: Self.json, body: "{}")
        #expect(bad.status == 404)
        let good = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/good/x", headers: Self.json, body: "{}")
        #expect(good.status == 200)
    }
}
