import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceModel
import SluiceNode
import SluiceTesting
import Testing

/// An all-in-one node's publisher deploys on its own gateway before the publish call answers, and `/metrics`
/// lists a deployed API's series before its first call.
@Suite(.timeLimit(.minutes(2)))
struct LocalPublishTests {
    @Test func publishAnswersOnceTheGatewayServesTheAPIAndMetricsListItAtZero() async throws {
        let repository = try TestRepository()
        var options = repository.options(roles: Set(NodeRole.allCases))
        options.gatewayPort = 0
        options.managementPort = 0
        let node = try await SluiceNode.assemble(options)
        let gateway = try #require(node.gateway)
        let services = node.serviceGroup()
        try await withRunningServices(services) {
            _ = try await gateway.boundPort
            let managementPort = try await node.boundManagementPort
            let base = "http://127.0.0.1:\(managementPort)/api/am/publisher/v4"
            #expect(try await poll("http://127.0.0.1:\(managementPort)/api/am/openapi.json") { $0 == 200 } == 200)

            // The sample's context, under another name and version: the shipped sample file keeps serving v1.0.0.
            var definition = try #require(
                try JSONSerialization.jsonObject(
                    with: Data(contentsOf: URL(fileURLWithPath: TestRepository.packageRoot + "/samples/pizzashack-api.json"))
                ) as? [String: Any]
            )
            definition["name"] = "LocalPublish"
            definition["context"] = "/local-publish"
            let created = try await RevisionDeploymentLiveTests.send(.POST, base + "/apis", body: try JSONSerialization.data(withJSONObject: definition))
            #expect(created.status == 201)
            let id = try #require((try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["id"] as? String)
            let artifactName = "admin--LocalPublish"
            #expect(!gateway.deploymentStatus.files.contains { $0.artifacts.contains(artifactName) })

            let published = try await RevisionDeploymentLiveTests.send(.POST, base + "/apis/change-lifecycle?apiId=\(id)&action=Publish")
            #expect(published.status == 200)
            // No waiting: the answer came after the deployment.
            #expect(gateway.deploymentStatus.files.contains { $0.artifacts.contains(artifactName) })

            let metrics = try await RevisionDeploymentLiveTests.send(.GET, "http://127.0.0.1:\(managementPort)/metrics")
            let text = String(decoding: metrics.body, as: UTF8.self)
            #expect(text.contains(#"sluice_api_request_duration_seconds_count{api="admin--LocalPublish",version="1.0.0"} 0"#))
            // The shipped sample has no handlers: nothing meters it, so it gets no series.
            #expect(!text.contains(#"api="admin--PizzaShackAPI""#))
        }
    }
}
