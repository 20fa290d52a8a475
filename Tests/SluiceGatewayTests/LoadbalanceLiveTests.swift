import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `WeightedRoundRobin` and `<member>` servers through the live gateway: the requests reach the backends in the
/// proportions the weights give, and a member gets the path the client addressed.
@Suite(.timeLimit(.minutes(1))) struct LoadbalanceLiveTests {
    @Test func weightedMembersGetTheirShareAndServersTheAddressedPath() async throws {
        let light = try await TestHTTPBackend.start()
        defer { light.shutdownInBackground() }
        let heavy = try await TestHTTPBackend.start()
        defer { heavy.shutdownInBackground() }
        let resources = """
            <resource methods="GET" url-mapping="/weighted">
              <inSequence><send><endpoint>
                <loadbalance algorithm="org.apache.synapse.endpoints.algorithms.WeightedRoundRobin">
                  <endpoint><address uri="\(light.baseURL)/echo/light"/><property name="loadbalance.weight" value="1"/></endpoint>
                  <endpoint><address uri="\(heavy.baseURL)/echo/heavy"/><property name="loadbalance.weight" value="3"/></endpoint>
                </loadbalance>
              </endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            <resource methods="GET" uri-template="/servers/*">
              <inSequence><send><endpoint><loadbalance>
                <member hostName="127.0.0.1" httpPort="\(light.port)"/>
                <member hostName="127.0.0.1" httpPort="\(heavy.port)"/>
              </loadbalance></endpoint></send></inSequence>
              <outSequence><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/lb.xml": Artifact.api(name: "lb", context: "/lb", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        for _ in 0..<8 {
            let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/lb/weighted")
            #expect(response.status == 200)
        }
        #expect(light.recordedRequests.count == 2)
        #expect(heavy.recordedRequests.count == 6)

        for _ in 0..<2 {
            let response = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/lb/servers/echo?n=1")
            #expect(response.status == 200)
        }
        #expect(light.recordedRequests.last?.uri == "/lb/servers/echo?n=1")
        #expect(heavy.recordedRequests.last?.uri == "/lb/servers/echo?n=1")
        #expect(light.recordedRequests.count + heavy.recordedRequests.count == 10)
    }
}
