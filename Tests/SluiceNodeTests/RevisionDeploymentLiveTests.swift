import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SluiceModel
import SluiceNode
import SluiceTesting
import Testing

/// An all-in-one node (SQLite): the `Default` environment is the node's own gateway, and it serves the deployed
/// revision, not the working copy, until another revision is deployed.
@Suite(.timeLimit(.minutes(2)))
struct RevisionDeploymentLiveTests {
    @Test func theGatewayAnswersAsTheDeployedRevisionUntilTheNextIsDeployed() async throws {
        let backend = try await TestHTTPBackend.start(name: "revisions")
        defer { backend.shutdownInBackground() }
        try await Self.withNode { gatewayPort, management in
            let publisher = management + "/api/am/publisher/v4"
            let created = try await Self.send(.POST, publisher + "/apis", body: Self.api(endpoint: backend.baseURL + "/one"))
            #expect(created.status == 201, "\(String(decoding: created.body, as: UTF8.self))")
            let id = try #require(try Self.object(created.body)["id"] as? String)
            #expect(try await Self.send(.POST, publisher + "/apis/change-lifecycle?apiId=\(id)&action=Publish").status == 200)
            let one = try await Self.deployNewRevision(of: id, publisher)

            let call = "http://127.0.0.1:\(gatewayPort)/revisions/1.0.0/menu"
            #expect(try await Self.send(.GET, call, authorized: false).status == 200)
            #expect(backend.recordedRequests.last?.uri == "/one/menu")

            // The working copy moves on; the gateway keeps answering as revision 1.
            let edited = try await Self.send(.PUT, publisher + "/apis/\(id)", body: Self.api(endpoint: backend.baseURL + "/two"))
            #expect(edited.status == 200)
            #expect(try await Self.send(.GET, call, authorized: false).status == 200)
            #expect(backend.recordedRequests.last?.uri == "/one/menu")

            let two = try await Self.deployNewRevision(of: id, publisher)
            #expect(one != two)
            #expect(try await Self.send(.GET, call, authorized: false).status == 200)
            #expect(backend.recordedRequests.last?.uri == "/two/menu")

            // Undeployed: the gateway no longer knows the API.
            let undeployed = try await Self.send(
                .POST, publisher + "/apis/\(id)/undeploy-revision?revisionId=\(two)", body: Self.toDefault
            )
            #expect(undeployed.status == 201)
            #expect(try await Self.send(.GET, call, authorized: false).status == 404)
        }
    }

    /// Runs `body` against an all-in-one node on a fresh repository copy (gateway port, management base URL), and
    /// stops the node afterwards, also when `body` fails.
    static func withNode(_ body: (_ gatewayPort: Int, _ management: String) async throws -> Void) async throws {
        let repository = try TestRepository()
        var options = repository.options(roles: Set(NodeRole.allCases))
        options.gatewayPort = 0
        options.managementPort = 0
        let node = try await SluiceNode.assemble(options)
        let gateway = try #require(node.gateway)
        let services = node.serviceGroup()
        try await withRunningServices(services) {
            let gatewayPort = try await gateway.boundPort
            let management = "http://127.0.0.1:\(try await node.boundManagementPort)"
            #expect(try await poll(management + "/api/am/openapi.json") { $0 == 200 } == 200)
            try await body(gatewayPort, management)
        }
    }

    static let toDefault = Data(#"[{"name": "Default", "vhost": "localhost", "displayOnDevportal": true}]"#.utf8)

    static func api(endpoint: String) -> Data {
        Data(
            """
            {"name": "Revisions", "context": "/revisions", "version": "1.0.0", "policies": ["Unlimited"],
             "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "\(endpoint)"}},
             "operations": [{"target": "/menu", "verb": "GET", "authType": "None", "throttlingPolicy": "Unlimited"}]}
            """.utf8
        )
    }

    /// Makes a revision of the working copy and deploys it to `Default`; the answer comes once the gateway serves it.
    static func deployNewRevision(of id: String, _ publisher: String) async throws -> String {
        let created = try await send(.POST, publisher + "/apis/\(id)/revisions", body: Data(#"{"description": "live"}"#.utf8))
        #expect(created.status == 201)
        let revision = try #require(try object(created.body)["id"] as? String)
        let deployed = try await send(.POST, publisher + "/apis/\(id)/deploy-revision?revisionId=\(revision)", body: toDefault)
        #expect(deployed.status == 201, "\(String(decoding: deployed.body, as: UTF8.self))")
        return revision
    }

    static func object(_ data: Data) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    static func send(
        _ method: HTTPMethod,
        _ url: String,
        body: Data? = nil,
        authorized: Bool = true,
        headers: [String: String] = [:]
    ) async throws -> (status: Int, body: Data) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if authorized {
            request.headers.add(name: "Authorization", value: "Basic " + Data("admin:Node-Test-1".utf8).base64EncodedString())
        }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (Int(response.status.code), Data(buffer: bytes))
    }
}
