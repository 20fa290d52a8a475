import Foundation
import Testing

/// Issue #12, item 8: the publisher accepted a context inside another API's namespace (context `/sececho/1.0.0`
/// with version `x` took `/sececho/1.0.0/x` over from SecEcho) and `..` in contexts and versions.
@Suite struct ContextNamespaceTests {
    @Test func aContextInsideAnotherAPIsNamespaceIsAConflict() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            _ = try await client.createAPI(Client.apiJSON(name: "SecEcho", context: "/sececho", version: "1.0.0"))
            for (name, context, version) in [
                ("Shadow", "/sececho/1.0.0", "x"),  // serves /sececho/1.0.0/x
                ("Cover", "/{version}", "sececho"),  // serves /sececho, above SecEcho's /sececho/1.0.0
                ("Nested", "/sececho/1.0.0/deeper", "2"),
            ] {
                let answer = try await client.post(
                    "\(Client.publisher)/apis",
                    as: "chris",
                    json: Client.apiJSON(name: name, context: context, version: version)
                )
                #expect(answer.status == .conflict, "\(context) \(version): \(answer.text)")
                #expect(answer.errorDescription.contains("overlaps /sececho/1.0.0 of the API SecEcho 1.0.0"))
            }
            // A default version claims the unversioned context too.
            let defaulted = Client.apiJSON(name: "Echo", context: "/echo", extra: #", "isDefaultVersion": true"#)
            _ = try await client.createAPI(defaulted)
            let below = try await client.post(
                "\(Client.publisher)/apis",
                as: "chris",
                json: Client.apiJSON(name: "Below", context: "/echo/v9", version: "1")
            )
            #expect(below.status == .conflict)
            // Neighbours and new versions of the same API are fine.
            #expect(try await client.post("\(Client.publisher)/apis", as: "chris", json: Client.apiJSON(name: "Neighbour", context: "/sececho2")).status == .created)
            let copy = try await client.post("\(Client.publisher)/apis/copy-api?apiId=\(try await Self.id(client, "SecEcho"))&newVersion=2.0.0", as: "chris")
            #expect(copy.status == .created, "\(copy.text)")
        }
    }

    static func id(_ client: Client, _ name: String) async throws -> String {
        let list = try await client.get("\(Client.publisher)/apis?query=name:\(name)", as: "chris").list
        return try #require(list.first?["id"] as? String)
    }

    @Test(arguments: [
        ("/sececho/..", "1.0.0", "must not contain the path segment '..'"),
        ("/a/./b", "1.0.0", "must not contain the path segment '.'"),
        ("/sececho", "..", "version '..' must not be a dot segment"),
        ("/sececho", ".", "version '.' must not be a dot segment"),
    ])
    func dotSegmentsInContextsAndVersionsAreBadRequests(context: String, version: String, message: String) async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let answer = try await client.post(
                "\(Client.publisher)/apis",
                as: "chris",
                json: Client.apiJSON(context: context, version: version)
            )
            #expect(answer.status == .badRequest)
            #expect(answer.errorDescription.contains(message), "\(answer.errorDescription)")
        }
    }
}
