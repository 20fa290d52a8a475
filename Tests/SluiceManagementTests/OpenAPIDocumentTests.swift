import Foundation
import HTTPTypes
import SluiceManagement
import Testing

@Suite(.timeLimit(.minutes(1))) struct OpenAPIDocumentTests {
    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() async throws {
        let fixture = try await ManagementFixture()
        let (_, table) = fixture.application()
        let registered = Set(table.routes.map { "\($0.method) \($0.openAPIPath)" })
        let documented = Set(ManagementOpenAPIDocument.operations.map { "\($0.method) \($0.path)" })
        #expect(
            registered.subtracting(documented).isEmpty,
            "undocumented: \(registered.subtracting(documented).sorted())"
        )
        #expect(
            documented.subtracting(registered).isEmpty,
            "not served: \(documented.subtracting(registered).sorted())"
        )
        #expect(registered.count == table.routes.count)
    }

    @Test func theServedDocumentListsEveryOperation() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let answer = try await client.get("/api/am/openapi.json")
            #expect(answer.status == .ok)
            let document = try answer.object
            #expect(document["openapi"] as? String == "3.0.3")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            for operation in ManagementOpenAPIDocument.operations {
                #expect(
                    paths[operation.path]?[operation.method.lowercased()] != nil,
                    "\(operation.method) \(operation.path)"
                )
            }
        }
    }

    /// The documented access is the enforced one: a user without any role is refused every scoped operation,
    /// and no one is let in without credentials.
    @Test func documentedScopesAreEnforced() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            for operation in ManagementOpenAPIDocument.operations {
                let uri = operation.path.replacingOccurrences(of: "{keyType}", with: "PRODUCTION")
                    .replacingOccurrences(of: "{policyLevel}", with: "subscription")
                    .replacing(/\{[A-Za-z]+\}/, with: "unknown-id")
                let method = HTTPRequest.Method(operation.method)!
                let body = operation.requestBody == nil ? nil : "{}"
                switch operation.access {
                case .scope, .anyScope:
                    let nobody = try await client.call(method, uri, as: "nobody", json: body)
                    #expect(nobody.status == .forbidden, "\(operation.method) \(uri): \(nobody.text)")
                    let anonymous = try await client.call(method, uri, json: body)
                    #expect(anonymous.status == .unauthorized, "\(operation.method) \(uri)")
                case .optional, .anonymous:
                    let anonymous = try await client.call(method, uri, json: body)
                    #expect(
                        anonymous.status != .unauthorized && anonymous.status != .forbidden,
                        "\(operation.method) \(uri)"
                    )
                }
            }
        }
    }
}
