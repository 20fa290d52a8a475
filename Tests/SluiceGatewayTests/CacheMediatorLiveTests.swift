import AsyncHTTPClient
import Foundation
import NIOCore
import SluiceTesting
import Testing

@testable import SluiceGateway

/// `<cache>` through the live gateway: the second identical request is answered without the backend.
@Suite(.timeLimit(.minutes(1))) struct CacheMediatorLiveTests {
    @Test func aCachedResponseIsAnsweredWithoutTheBackend() async throws {
        let backend = try await TestHTTPBackend.start()
        defer { backend.shutdownInBackground() }
        let resources = """
            <resource methods="GET POST" url-mapping="/*">
              <inSequence>
                <cache timeout="600">
                  <protocol type="HTTP"><methods>GET,POST</methods><includeAgeHeader>true</includeAgeHeader></protocol>
                  <implementation maxSize="10"/>
                </cache>
                <send>\(Artifact.address(backend.baseURL))</send>
              </inSequence>
              <outSequence><cache collector="true"/><send/></outSequence>
            </resource>
            """
        let gateway = try await GatewayHarness.start(files: [
            "api/c.xml": Artifact.api(name: "c", context: "/c", resources: resources)
        ])
        defer { gateway.stopInBackground() }
        let status = gateway.service.deploymentStatus
        #expect(status.files.allSatisfy { $0.state == .deployed }, "\(status.files.flatMap(\.diagnostics))")

        let first = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/c/json")
        #expect(first.status == 200)
        #expect(backend.recordedRequests.count == 1)
        let second = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/c/json")
        #expect(second.status == 200)
        #expect(second.body == first.body)
        #expect(second.header("Content-Type") == "application/json")
        #expect(second.header("X-Backend-Name") == first.header("X-Backend-Name"))
        #expect(second.header("Age") != nil)
        #expect(backend.recordedRequests.count == 1)

        let xml = [("Content-Type", "application/xml")]
        let posted = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/c/echo", headers: xml, body: "<a>1</a>")
        let again = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/c/echo", headers: xml, body: "<a>1</a>")
        let other = try await HTTPClient.shared.send(.POST, gateway.baseURL + "/c/echo", headers: xml, body: "<a>2</a>")
        #expect(posted.body == "<a>1</a>")
        #expect(again.body == "<a>1</a>")
        #expect(other.body == "<a>2</a>")
        #expect(backend.recordedRequests.count == 3)

        // Another path is another request.
        let missing = try await HTTPClient.shared.send(.GET, gateway.baseURL + "/c/status/503")
        #expect(missing.status == 503)
        #expect(backend.recordedRequests.count == 4)
    }
}
