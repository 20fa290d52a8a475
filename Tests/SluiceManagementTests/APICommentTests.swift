import Foundation
import HTTPTypes
import Testing

/// WSO2's Comments in the publisher and the devportal: replies, paging, editing by the author, deleting by the
/// author or an administrator.
@Suite(.timeLimit(.minutes(1))) struct APICommentTests {
    static func comments(_ base: String, _ apiID: String) -> String { "\(base)/apis/\(apiID)/comments" }

    @Test func repliesArePagedUnderTheirComment() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let devportal = Self.comments(Client.devportal, apiID)
            let first = try await client.post(devportal, as: "alice", json: #"{"content": "Tasty"}"#)
            let firstID = try #require(try first.object["id"] as? String)
            _ = try await client.post(devportal, as: "bob", json: #"{"content": "Too salty"}"#)
            // WSO2 names the parent in the query; the publisher spells it parentCommentID.
            for index in 1...3 {
                let reply = try await client.post(
                    "\(devportal)?parentCommentId=\(firstID)", as: "bob", json: #"{"content": "Reply \#(index)"}"#
                )
                #expect(reply.status == .created)
                #expect(try reply.object["parentCommentId"] as? String == firstID)
            }
            let fromPublisher = try await client.post(
                "\(Self.comments(Client.publisher, apiID))?parentCommentID=\(firstID)", as: "chris",
                json: #"{"content": "Thanks", "category": "general"}"#
            )
            #expect(fromPublisher.status == .created, "\(fromPublisher.text)")
            #expect(try await client.post("\(devportal)?parentCommentId=nope", as: "bob", json: #"{"content": "x"}"#).status == .badRequest)

            // Top-level comments only, each with its first replies.
            let page = try await client.get("\(devportal)?limit=1&offset=0")
            #expect(try page.object["count"] as? Int == 1)
            #expect((try page.object["pagination"] as? [String: Any])?["total"] as? Int == 2)
            let top = try #require(try page.list.first)
            #expect(top["content"] as? String == "Tasty")
            let replies = try #require(top["replies"] as? [String: Any])
            #expect(replies["count"] as? Int == 4)
            #expect((replies["pagination"] as? [String: Any])?["total"] as? Int == 4)

            let one = try await client.get("\(devportal)/\(firstID)?replyLimit=2&replyOffset=1")
            let shown = try #require((try one.object["replies"] as? [String: Any])?["list"] as? [[String: Any]])
            #expect(shown.map { $0["content"] as? String } == ["Reply 2", "Reply 3"])
            let paged = try await client.get("\(Self.comments(Client.publisher, apiID))/\(firstID)/replies?limit=1&offset=3", as: "pat")
            #expect(try paged.list.map { $0["content"] as? String } == ["Thanks"])
            #expect(try await client.get("\(devportal)/unknown").status == .notFound)
            #expect(try await client.get("\(devportal)/\(firstID)?replyLimit=-1").status == .badRequest)

            let info = try await client.get("\(devportal)?includeCommenterInfo=true")
            #expect(try info.list.first?["commenterInfo"] != nil)
            #expect(try await client.get(devportal).list.first?["commenterInfo"] == nil)
        }
    }

    @Test func onlyTheAuthorEditsAndTheAuthorOrAnAdministratorDeletes() async throws {
        let fixture = try await ManagementFixture()
        try await fixture.test { client in
            let apiID = try await client.publishedAPI()
            let devportal = Self.comments(Client.devportal, apiID)
            let posted = try await client.post(devportal, as: "alice", json: #"{"content": "Tasty"}"#)
            let id = try #require(try posted.object["id"] as? String)
            #expect(try posted.object["updatedTime"] == nil)
            let edit = "\(devportal)/\(id)"
            #expect(try await client.call(.patch, edit, as: "bob", json: #"{"content": "Bland"}"#).status == .forbidden)
            #expect(try await client.call(.patch, edit, as: "alice", json: #"{"content": "   "}"#).status == .badRequest)
            #expect(try await client.call(.patch, edit, json: #"{"content": "x"}"#).status == .unauthorized)
            let edited = try await client.call(.patch, edit, as: "alice", json: #"{"content": "Very tasty", "category": "general"}"#)
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(try edited.object["content"] as? String == "Very tasty")
            #expect(try edited.object["updatedTime"] as? String != nil)
            let read = try await client.get("\(Self.comments(Client.publisher, apiID))/\(id)", as: "chris")
            #expect(try read.object["content"] as? String == "Very tasty")
            #expect(try read.object["updatedTime"] as? String != nil)

            // The publisher's comment scopes: a subscriber has none of them.
            #expect(try await client.get(Self.comments(Client.publisher, apiID), as: "alice").status == .forbidden)
            #expect(try await client.post(Self.comments(Client.publisher, apiID), as: "alice", json: #"{"content": "x"}"#).status == .forbidden)
            #expect(try await client.call(.delete, edit, as: "bob").status == .forbidden)
            #expect(try await client.call(.delete, "\(Self.comments(Client.publisher, apiID))/\(id)", as: "chris").status == .forbidden)
            #expect(try await client.call(.delete, "\(Self.comments(Client.publisher, apiID))/\(id)", as: "admin").status == .ok)
            #expect(try await client.get(edit).status == .notFound)
            #expect(try await client.get(Self.comments(Client.devportal, "no-such-api")).status == .notFound)
        }
    }
}
