import Foundation
import SluiceArtifacts
import SluiceControlPlane
import SluiceModel
import Testing

/// Issue #12, item 6, in the Publisher portal: the API form edits the scopes a resource needs and the roles
/// that may obtain each scope, with the same checks as the REST API.
@Suite struct PublisherScopeFormTests {
    static func fields(scopeRoles: String, declare: Bool = true) -> [(String, String)] {
        var fields = PublisherPortalTests.apiFields()
        // The second resource row (POST /order) needs order_admin.
        var rows = 0
        fields = fields.flatMap { field -> [(String, String)] in
            guard field.0 == "op_tier" else { return [field] }
            rows += 1
            return [field, ("op_scopes", rows == 2 ? "order_admin" : "")]
        }
        if declare { fields += [("scope_name", "order_admin"), ("scope_roles", scopeRoles), ("scope_name", ""), ("scope_roles", "")] }
        return fields
    }

    @Test func theFormDeclaresScopesWithTheirRolesAndResourcesUseThem() async throws {
        let fixture = try await PortalFixture()
        try await fixture.test { browser, _ in
            try await browser.signIn("admin", area: "publisher")
            let id = try await PublisherPortalTests.createAPI(browser, Self.fields(scopeRoles: "admin, Internal/publisher"))
            let record = try #require(try await fixture.storage.api(id: id))
            let definition = PublisherAPIService(services: fixture.services, logger: .init(label: "test")).definition(of: record)
            #expect(definition.operations.map(\.scopes) == [[], ["order_admin"]])
            #expect(definition.scopes == [APIScope(name: "order_admin", bindings: ["admin", "Internal/publisher"])])
            let form = try await browser.get("/publisher/apis/\(id)/edit")
            #expect(form.html.contains(#"name="scope_name" value="order_admin""#))
            #expect(form.html.contains(#"name="scope_roles" value="admin, Internal/publisher""#))
            #expect(form.html.contains(#"name="op_scopes" value="order_admin""#))

            // A role that does not exist, and a scope a resource uses without declaring it, are refused.
            for (fields, message) in [
                (Self.fields(scopeRoles: "Internal/nobody"), "&#39;Internal/nobody&#39; is not a role"),
                (Self.fields(scopeRoles: "", declare: false), "scope &#39;order_admin&#39; is not declared"),
            ] {
                let refused = try await browser.post("/publisher/apis/\(id)/edit", fields, csrf: form.csrf)
                #expect(refused.status == .badRequest)
                #expect(refused.html.contains(message), "\(message)")
            }
        }
    }
}
