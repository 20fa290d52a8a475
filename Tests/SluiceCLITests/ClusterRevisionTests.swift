import Foundation
import Testing

/// On PostgreSQL with separate roles the `Default` environment is the cluster's gateways: a deployed revision reaches
/// them through the database, and an edit of the working copy does not.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct ClusterRevisionTests {
    @Test func gatewaysServeTheDeployedRevisionNotTheWorkingCopy() async throws {
        let cluster = try ClusterFixture(gateways: 1)
        defer { cluster.stop() }
        try await cluster.start()
        let publisher = cluster.management + "/api/am/publisher/v4"
        let backend = "http://127.0.0.1:\(cluster.backendPort)"

        let id = try await Self.publishOpenAPI(cluster, name: "Revisions", context: "/revisions", endpoint: backend + "/pizzashack")
        let start = ContinuousClock.now
        _ = try await ClusterProcessTests.untilEveryGateway(cluster, "/revisions/1.0.0/menu", gateways: [0], since: start) {
            $0.status == 200 && $0.body.contains("Chicken Parmesan")
        }
        let one = try await Self.deployNewRevision(cluster, apiID: id)

        let edited = try await HTTP.send(
            "PUT", publisher + "/apis/\(id)", headers: cluster.admin,
            body: Self.definition(name: "Revisions", context: "/revisions", endpoint: backend + "/elsewhere")
        )
        try #require(edited.status == 200, "\(edited.body)")
        // Changes reach a gateway in order: once an API published after the edit is served, the edit would have been.
        _ = try await Self.publishOpenAPI(cluster, name: "Marker", context: "/marker", endpoint: backend + "/pizzashack")
        _ = try await ClusterProcessTests.untilEveryGateway(cluster, "/marker/1.0.0/menu", gateways: [0], since: start) {
            $0.status == 200
        }
        let still = try await HTTP.send("GET", cluster.gateway(0) + "/revisions/1.0.0/menu")
        #expect(still.status == 200 && still.body.contains("Chicken Parmesan"), "revision 1 is served: \(still.body)")

        let two = try await Self.deployNewRevision(cluster, apiID: id)
        #expect(one != two)
        _ = try await ClusterProcessTests.untilEveryGateway(cluster, "/revisions/1.0.0/menu", gateways: [0], since: start) {
            $0.body.contains("/elsewhere/menu")
        }
    }

    static func definition(name: String, context: String, endpoint: String) -> String {
        """
        {"name": "\(name)", "context": "\(context)", "version": "1.0.0", "provider": "admin", "policies": ["Unlimited"],
         "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(endpoint)"}},
         "operations": [{"target": "/menu", "verb": "GET", "authType": "None", "throttlingPolicy": "Unlimited"}]}
        """
    }

    /// Creates an API whose `/menu` needs no token, publishes it, and returns its id.
    static func publishOpenAPI(_ cluster: ClusterFixture, name: String, context: String, endpoint: String) async throws
        -> String
    {
        let created = try await HTTP.send(
            "POST", cluster.management + "/api/am/publisher/v4/apis", headers: cluster.admin,
            body: definition(name: name, context: context, endpoint: endpoint)
        )
        try #require(created.status == 201, "creating \(name): \(created.body)")
        let id = try #require(try ClusterFixture.json(created.body)["id"] as? String)
        try await cluster.changeLifecycle(of: id, action: "Publish")
        return id
    }

    static func deployNewRevision(_ cluster: ClusterFixture, apiID: String) async throws -> String {
        let apis = cluster.management + "/api/am/publisher/v4/apis/\(apiID)"
        let created = try await HTTP.send("POST", apis + "/revisions", headers: cluster.admin, body: "{}")
        try #require(created.status == 201, "\(created.body)")
        let revision = try #require(try ClusterFixture.json(created.body)["id"] as? String)
        let deployed = try await HTTP.send(
            "POST", apis + "/deploy-revision?revisionId=\(revision)", headers: cluster.admin,
            body: #"[{"name": "Default", "vhost": "localhost", "displayOnDevportal": true}]"#
        )
        try #require(deployed.status == 201, "\(deployed.body)")
        return revision
    }
}
