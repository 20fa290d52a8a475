import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import SluiceManagement
import Testing

/// `GET|PUT /apis/{apiId}/swagger`: the OpenAPI document generated from the operations, and operations replaced
/// from a document (JSON or WSO2's multipart form), redeploying a published API.
@Suite(.timeLimit(.minutes(1))) struct SwaggerTests {
    static let replacement = """
        {"openapi": "3.0.1", "info": {"title": "x", "version": "1"},
         "paths": {"/menu": {"get": {"x-auth-type": "Application", "x-throttling-tier": "Unlimited",
                                     "responses": {"200": {"description": "OK"}}}},
                   "/order/{orderId}": {"delete": {"security": [{"default": ["order_admin"]}],
                                                   "responses": {"200": {"description": "OK"}}}}},
         "components": {"securitySchemes": {"default": {"type": "oauth2", "flows": {"implicit": {
             "authorizationUrl": "https://example.com/authorize",
             "scopes": {"order_admin": "Manage orders"},
             "x-scopes-bindings": {"order_admin": "admin, Internal/publisher"}}}}}}}
        """

    @Test func theDocumentFollowsTheOperations() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let answer = try await client.get("\(Client.publisher)/apis/\(id)/swagger", as: "pat")
            #expect(answer.status == .ok)
            let document = try answer.object
            #expect(document["openapi"] as? String == "3.0.1")
            #expect((document["info"] as? [String: Any])?["title"] as? String == "PizzaShack")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            #expect(Set(paths.keys) == ["/menu", "/order"])
            let menu = try #require(paths["/menu"]?["get"] as? [String: Any])
            #expect(menu["x-auth-type"] as? String == "Application")
            #expect((document["servers"] as? [[String: Any]])?.first?["url"] as? String == "/pizzashack/1.0.0")

            // The store serves it for visible APIs, anonymously too.
            #expect(try await client.get("\(Client.devportal)/apis/\(id)/swagger").status == .ok)
            let hidden = try await client.createAPI(Client.apiJSON(name: "Hidden", context: "/hidden"))
            #expect(try await client.get("\(Client.devportal)/apis/\(hidden)/swagger").status == .notFound)
            #expect(try await client.get("\(Client.publisher)/apis/\(id)/swagger", as: "alice").status == .forbidden)
        }
    }

    @Test func aDocumentReplacesTheOperationsAndRedeploys() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let put = try await client.put("\(Client.publisher)/apis/\(id)/swagger", as: "chris", json: Self.replacement)
            #expect(put.status == .ok, "\(put.text)")
            let api = try await client.get("\(Client.publisher)/apis/\(id)", as: "chris").object
            let operations = try #require(api["operations"] as? [[String: Any]])
            #expect(operations.map { "\($0["verb"] ?? "") \($0["target"] ?? "")" } == ["GET /menu", "DELETE /order/{orderId}"])
            #expect(operations.last?["scopes"] as? [String] == ["order_admin"])
            // The document's scopes come with their role bindings.
            let scopes = try #require(api["scopes"] as? [[String: Any]]).compactMap { $0["scope"] as? [String: Any] }
            #expect(scopes.first { $0["name"] as? String == "order_admin" }?["bindings"] as? [String] == ["admin", "Internal/publisher"])
            // The creator's change of the live API waits for a publisher.
            #expect(try await client.get("\(Client.publisher)/apis/\(id)", as: "chris").object["hasPendingChanges"] as? Bool == true)
            #expect(try !fixture.artifact("chris--PizzaShack_v1.0.0.xml").contains("/order/{orderId}"))
            #expect(try await client.post("\(Client.publisher)/apis/\(id)/redeploy", as: "pat").status == .ok)
            let artifact = try fixture.artifact("chris--PizzaShack_v1.0.0.xml")
            #expect(artifact.contains("/order/{orderId}"))
            #expect(!artifact.contains("uri-template=\"/order\""))

            // The same document as WSO2's multipart form.
            let boundary = "sluice-boundary"
            let form = "--\(boundary)\r\nContent-Disposition: form-data; name=\"apiDefinition\"\r\n\r\n"
                + Self.replacement.replacingOccurrences(of: "order_admin", with: "order_owner")
                + "\r\n--\(boundary)--\r\n"
            let multipart = try await client.client.execute(
                uri: "\(Client.publisher)/apis/\(id)/swagger",
                method: .put,
                headers: [
                    .authorization: "Basic " + Data("chris:\(ManagementFixture.password("chris"))".utf8).base64EncodedString(),
                    .contentType: "multipart/form-data; boundary=\(boundary)",
                ],
                body: ByteBuffer(string: form)
            )
            #expect(multipart.status == .ok)
            let after = try await client.get("\(Client.publisher)/apis/\(id)", as: "chris").object
            #expect(((after["operations"] as? [[String: Any]])?.last?["scopes"] as? [String]) == ["order_owner"])
        }
    }

    @Test func aYAMLDocumentIsReadToo() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let yaml = """
                openapi: 3.0.1
                info: {title: x, version: "1"}
                paths:
                  /menu:
                    get:
                      x-auth-type: Application
                      responses: {"200": {description: OK}}
                  /order/{orderId}:
                    delete:
                      security:
                        - default: [order_admin]
                components:
                  securitySchemes:
                    default:
                      type: oauth2
                      flows:
                        implicit:
                          authorizationUrl: https://example.com/authorize
                          scopes: {order_admin: Manage orders}
                          x-scopes-bindings: {order_admin: admin}
                """
            let put = try await client.put("\(Client.publisher)/apis/\(id)/swagger", as: "chris", json: yaml)
            #expect(put.status == .ok, "\(put.text)")
            let api = try await client.get("\(Client.publisher)/apis/\(id)", as: "chris").object
            let operations = try #require(api["operations"] as? [[String: Any]])
            #expect(operations.map { "\($0["verb"] ?? "") \($0["target"] ?? "")" } == ["GET /menu", "DELETE /order/{orderId}"])
            #expect(operations.last?["scopes"] as? [String] == ["order_admin"])
        }
    }

    @Test func badDocumentsChangeNothing() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let id = try await client.publishedAPI()
            let uri = "\(Client.publisher)/apis/\(id)/swagger"
            for (body, message) in [
                ("not json", "neither JSON nor readable YAML: line 1"),
                ("[1, 2]", "must be a JSON object"),
                (#"{"paths": {"/a": {"get": {}}}}"#, "neither an openapi nor a swagger version"),
                (#"{"openapi": "3.0.1", "paths": {}}"#, "no paths"),
                (#"{"openapi": "3.0.1", "paths": {"/a": {"get": {"x-auth-type": 7}}}}"#, "x-auth-type must be a string"),
                (#"{"openapi": "3.0.1", "paths": {"/a": {"get": {"x-throttling-tier": "NoSuchTier"}}}}"#, "NoSuchTier"),
                (#"{"openapi": "3.0.1", "paths": {"/a": {"trace": {}}}}"#, "no operations"),
            ] {
                let answer = try await client.put(uri, as: "chris", json: body)
                #expect(answer.status == .badRequest, "\(body)")
                #expect(answer.errorDescription.contains(message), "\(answer.errorDescription)")
            }
            #expect(try await client.put(uri, as: "alice", json: Self.replacement).status == .forbidden)
            let api = try await client.get("\(Client.publisher)/apis/\(id)", as: "chris").object
            #expect((api["operations"] as? [[String: Any]])?.count == 2)
        }
    }
}
