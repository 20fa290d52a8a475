import Foundation
import HTTPTypes
import SluiceKeyManager
import Testing

/// WSO2's shared scopes: defined once, used by several APIs, granted by their own bindings, kept while in use.
@Suite(.timeLimit(.minutes(1))) struct SharedScopeTests {
    static let scopes = "\(Client.publisher)/scopes"

    /// An API whose `GET /orders` needs `scope`, declared as `declaration` (a JSON `APIScope`).
    static func api(_ name: String, context: String, scope: String, declaration: String) -> String {
        """
        {"name": "\(name)", "context": "\(context)", "version": "1.0.0", "policies": ["Unlimited"],
         "endpointConfig": {"endpoint_type": "http", "production_endpoints": {"url": "http://localhost:9080/x"}},
         "operations": [{"target": "/orders", "verb": "GET", "scopes": ["\(scope)"]},
                        {"target": "/menu", "verb": "GET"}],
         "scopes": [\(declaration)]}
        """
    }

    /// The scopes the key manager's password grant gives `user` when asked for `requested`.
    static func granted(_ fixture: ManagementFixture, _ user: String, _ requested: [String]) async throws -> [String] {
        let application = try await fixture.keyManager.createApplication(name: "grant-\(UUID().uuidString)", owner: user)
        let keys = try await fixture.keyManager.generateKeys(applicationID: application.id, keyType: .production)
        let response = try await fixture.keyManager.token(
            for: TokenRequest(grant: .password(username: user, password: ManagementFixture.password(user)), scopes: requested),
            credentials: ClientCredentials(consumerKey: keys.consumerKey, consumerSecret: keys.consumerSecret)
        )
        return response.scope.split(separator: " ").map(String.init)
    }

    @Test func sharedScopesAreCreatedListedUpdatedAndCheckedByName() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let body = #"{"name": "orders_read", "displayName": "Read orders", "description": "Reads", "bindings": ["Internal/subscriber"]}"#
            #expect(try await client.post(Self.scopes, as: "pat", json: body).status == .forbidden)
            let created = try await client.post(Self.scopes, as: "admin", json: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.object["id"] as? String)
            #expect(created.headers[.location] == "\(Self.scopes)/\(id)")
            #expect(try created.object["usageCount"] as? Int == 0)

            let again = try await client.post(Self.scopes, as: "admin", json: #"{"name": "orders_read"}"#)
            #expect(again.status == .conflict)
            #expect(try again.object["code"] as? Int == 900984)
            let system = try await client.post(Self.scopes, as: "admin", json: #"{"name": "apim:api_view"}"#)
            #expect(system.status == .conflict, "a REST API scope's name is taken")
            let badRole = try await client.post(Self.scopes, as: "admin", json: #"{"name": "x", "bindings": ["Nope"]}"#)
            #expect(badRole.status == .badRequest)
            #expect(badRole.errorDescription.contains("bindings[0]"))
            #expect(try await client.post(Self.scopes, as: "admin", json: #"{"name": "a b"}"#).status == .badRequest)
            #expect(try await client.post(Self.scopes, as: "admin", json: #"{"name": "x", "usage": 1}"#).status == .badRequest)

            let list = try await client.get(Self.scopes, as: "chris")
            #expect(try list.list.map { $0["name"] as? String } == ["orders_read"])
            #expect(try list.object["pagination"] != nil)
            let one = try await client.get("\(Self.scopes)/\(id)", as: "chris")
            #expect(try one.object["bindings"] as? [String] == ["Internal/subscriber"])
            let missing = try await client.get("\(Self.scopes)/no-such-scope", as: "chris")
            #expect(missing.status == .notFound)
            #expect(try missing.object["code"] as? Int == 900981)

            // The name stays (WSO2 takes it from the stored scope); the rest is replaced.
            let updated = try await client.put(
                "\(Self.scopes)/\(id)", as: "admin", json: #"{"name": "renamed", "bindings": ["admin"], "description": "New"}"#
            )
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.object["name"] as? String == "orders_read")
            #expect(try updated.object["bindings"] as? [String] == ["admin"])
            #expect(try await client.put("\(Self.scopes)/nope", as: "admin", json: #"{"name": "x"}"#).status == .notFound)

            // HEAD by name or base64url of it: shared scopes, API scopes and REST API scopes exist.
            let encoded = Data("orders_read".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            #expect(try await client.call(.head, "\(Self.scopes)/\(encoded)", as: "chris").status == .ok)
            #expect(try await client.call(.head, "\(Self.scopes)/orders_read", as: "chris").status == .ok)
            #expect(try await client.call(.head, "\(Self.scopes)/unknown_scope", as: "chris").status == .notFound)
            #expect(try await client.call(.head, "\(Self.scopes)/orders_read", as: "alice").status == .forbidden)

            #expect(try await client.delete("\(Self.scopes)/\(id)", as: "admin").status == .ok)
            #expect(try await client.get(Self.scopes, as: "admin").list.isEmpty)
            #expect(try await client.delete("\(Self.scopes)/\(id)", as: "admin").status == .notFound)
        }
    }

    @Test func apisUseASharedScopeByNameAndItCannotBeDeletedWhileUsed() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post(
                Self.scopes, as: "admin", json: #"{"name": "orders", "displayName": "Orders", "bindings": ["Internal/publisher"]}"#
            )
            let id = try #require(try created.object["id"] as? String)
            // The API's own bindings and labels give way to the shared scope's, whatever `shared` says.
            let first = try await client.createAPI(
                Self.api("Kitchen", context: "/kitchen", scope: "orders",
                         declaration: #"{"scope": {"name": "orders", "bindings": ["Internal/subscriber"]}, "shared": false}"#)
            )
            let stored = try await client.get("\(Client.publisher)/apis/\(first)", as: "chris")
            let declaration = try #require((try stored.object["scopes"] as? [[String: Any]])?.first)
            #expect(declaration["shared"] as? Bool == true)
            #expect((declaration["scope"] as? [String: Any])?["bindings"] as? [String] == ["Internal/publisher"])
            #expect((declaration["scope"] as? [String: Any])?["displayName"] as? String == "Orders")
            // A second API uses it too (a local scope would belong to the first).
            let second = try await client.createAPI(
                Self.api("Bar", context: "/bar", scope: "orders", declaration: #"{"scope": {"name": "orders"}, "shared": true}"#)
            )

            let usage = try await client.get("\(Self.scopes)/\(id)/usage", as: "chris")
            #expect(usage.status == .ok, "\(usage.text)")
            let usages = try #require(try usage.object["usages"] as? [[String: Any]])
            #expect(Set(usages.compactMap { $0["name"] as? String }) == ["Kitchen", "Bar"])
            let resources = try #require(usages.first?["usedResourceList"] as? [[String: Any]])
            #expect(resources.map { $0["target"] as? String } == ["/orders"])
            #expect(try await client.get("\(Self.scopes)/\(id)", as: "chris").object["usageCount"] as? Int == 2)

            let refused = try await client.delete("\(Self.scopes)/\(id)", as: "admin")
            #expect(refused.status == .conflict)
            #expect(try refused.object["code"] as? Int == 900985)

            // A local scope of an API cannot become a shared scope.
            _ = try await client.createAPI(
                Self.api("Cellar", context: "/cellar", scope: "wine", declaration: #"{"scope": {"name": "wine"}}"#)
            )
            let taken = try await client.post(Self.scopes, as: "admin", json: #"{"name": "wine"}"#)
            #expect(taken.status == .conflict)

            for api in [first, second] {
                #expect(try await client.delete("\(Client.publisher)/apis/\(api)", as: "chris").status == .ok)
            }
            #expect(try await client.delete("\(Self.scopes)/\(id)", as: "admin").status == .ok)
        }
    }

    @Test func theKeyManagerGrantsASharedScopeByItsOwnBindings() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let created = try await client.post(Self.scopes, as: "admin", json: #"{"name": "orders", "bindings": ["Internal/publisher"]}"#)
            let id = try #require(try created.object["id"] as? String)
            // The API binds it to subscribers; the shared scope's binding (publishers) is the one that counts.
            _ = try await client.createAPI(
                Self.api("Kitchen", context: "/kitchen", scope: "orders",
                         declaration: #"{"scope": {"name": "orders", "bindings": ["Internal/subscriber"]}}"#)
            )
            #expect(try await Self.granted(fixture, "pat", ["orders"]) == ["orders"])
            #expect(try await Self.granted(fixture, "alice", ["orders"]) == ["default"])

            // New bindings apply to the next grant.
            let rebound = try await client.put("\(Self.scopes)/\(id)", as: "admin", json: #"{"name": "orders", "bindings": ["Internal/subscriber"]}"#)
            #expect(rebound.status == .ok)
            #expect(try await Self.granted(fixture, "alice", ["orders"]) == ["orders"])
            #expect(try await Self.granted(fixture, "pat", ["orders"]) == ["default"])
        }
    }
}
