import Foundation
import SluiceModel
import Testing

/// WSO2's role aliases: the users of an alias hold the role and its scopes (at once for basic callers, in new
/// tokens' grants); a PUT replaces the whole mapping; unknown roles are refused and nothing is stored.
@Suite struct RoleAliasTests {
    static let aliases = "\(Client.admin)/system-scopes/role-aliases"

    @Test func theUsersOfAnAliasHoldTheRole() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.storage.saveRole(Role(name: "Buyers", scopes: []))
        try await fixture.storage.setRoles(["Buyers"], forUser: "nobody")
        try await fixture.test { client in
            let applications = "\(Client.devportal)/applications"
            #expect(try await client.get(applications, as: "nobody").status == .forbidden)
            #expect(try await client.put(Self.aliases, as: "chris", json: #"{"list": []}"#).status == .forbidden)

            let mapped = try await client.put(
                Self.aliases, as: "admin", json: #"{"count": 1, "list": [{"role": "Internal/subscriber", "aliases": ["Buyers"]}]}"#
            )
            #expect(mapped.status == .ok, "\(mapped.text)")
            #expect(try mapped.list.map { $0["role"] as? String } == ["Internal/subscriber"])
            #expect(try await client.get(Self.aliases, as: "admin").list.first?["aliases"] as? [String] == ["Buyers"])
            #expect(try await client.get(applications, as: "nobody").status == .ok)
            // A new token of the alias's user gets the role's scopes.
            #expect(try await fixture.token(for: "nobody", scopes: ["apim:subscribe"]).isEmpty == false)
            let scopes = try await fixture.keyManager.scopes(ofUser: "nobody")
            #expect(scopes.contains("apim:subscribe"))

            for bad in [
                #"{"list": [{"role": "Ghosts", "aliases": ["Buyers"]}]}"#,
                #"{"list": [{"role": "Internal/subscriber", "aliases": ["Ghosts"]}]}"#,
                #"{"list": [{"role": "Buyers", "aliases": ["Buyers"]}]}"#,
            ] {
                #expect(try await client.put(Self.aliases, as: "admin", json: bad).status == .badRequest, "\(bad)")
            }
            #expect(try await client.get(Self.aliases, as: "admin").list.count == 1)

            // The whole mapping is replaced: an empty list takes the alias away.
            #expect(try await client.put(Self.aliases, as: "admin", json: #"{"list": []}"#).status == .ok)
            #expect(try await client.get(Self.aliases, as: "admin").list.isEmpty)
            #expect(try await client.get(applications, as: "nobody").status == .forbidden)
        }
    }
}
