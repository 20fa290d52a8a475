import Foundation
import SluiceModel
import SluiceNode
import SluiceTesting
import Testing

/// Operation policies through a real gateway: WSO2's `addHeader` on the request flow reaches the backend,
/// `changeHTTPMethod` changes the backend's method, and only on the operation they are attached to.
@Suite(.timeLimit(.minutes(2)))
struct OperationPolicyLiveTests {
    typealias Live = RevisionDeploymentLiveTests

    @Test func anAddHeaderRequestPolicyMakesTheHeaderArriveAtTheBackend() async throws {
        let backend = try await TestHTTPBackend.start(name: "policies")
        defer { backend.shutdownInBackground() }
        try await Live.withNode { gatewayPort, management in
            let publisher = management + "/api/am/publisher/v4"
            let created = try await Live.send(
                .POST, publisher + "/apis",
                body: Data(
                    """
                    {"name": "LivePolicies", "context": "/live-policies", "version": "1.0.0", "policies": ["Unlimited"],
                     "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(backend.baseURL)/p"}},
                     "operations": [
                       {"target": "/tagged", "verb": "GET", "authType": "None",
                        "operationPolicies": {"request": [
                          {"policyName": "addHeader", "policyVersion": "v1", "parameters": {"headerName": "X-Policy", "headerValue": "added"}},
                          {"policyName": "changeHTTPMethod", "parameters": {"updatedMethod": "POST"}}]}},
                       {"target": "/plain", "verb": "GET", "authType": "None"}]}
                    """.utf8
                )
            )
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            let apiID = try #require(try Live.object(created.body)["id"] as? String)
            #expect(try await Live.send(.POST, publisher + "/apis/change-lifecycle?apiId=\(apiID)&action=Publish").status == 200)

            let base = "http://127.0.0.1:\(gatewayPort)/live-policies/1.0.0"
            #expect(try await Live.send(.GET, base + "/tagged", authorized: false).status == 200)
            let tagged = try #require(backend.recordedRequests.last)
            #expect(tagged.uri == "/p/tagged")
            #expect(tagged.header("X-Policy") == "added")
            #expect(tagged.method == "POST")

            #expect(try await Live.send(.GET, base + "/plain", authorized: false).status == 200)
            let plain = try #require(backend.recordedRequests.last)
            #expect(plain.uri == "/p/plain")
            #expect(plain.header("X-Policy") == nil)
            #expect(plain.method == "GET")
        }
    }
}
